using MailIntake.Storage;
using MailIntake.Worker.Application;
using MailIntake.Worker.Options;
using MailIntake.Worker.Outbound;

namespace MailIntake.Worker.Jobs;

/// <summary>
/// The day after the current deadline — or the deadline told, while an extension never reached the organisation — of a
/// notice whose organisation still works to it (<see cref="DeadlineDuty"/>: no
/// reply, extended, or extended and still missing something after a partial reply): a timeline event "overdue", and staff are
/// told — once per deadline — whether any reply came (never "no reply" when one is filed).
/// </summary>
public sealed class OverdueSweep(
    NoticeRepository notices,
    OrganisationRepository organisations,
    ReplyRepository replies,
    OutboundRepository outbound,
    FollowUpRepository rounds,
    Database database,
    OutboxWriter outbox,
    SweepMarkRepository marks,
    CenterClock clock,
    JobRun run,
    MailIntakeOptions options) : ISweeper
{
    public string Name => "overdue";

    public Task<string> RunAsync(CancellationToken cancellationToken)
    {
        if (RestoreReread.Pending(marks, options))
        {
            // h31h Q11: a reply the restored store lacks still waits in processed/: "no reply came" could be false.
            return Task.FromResult($"逾期檢查：{RestoreReread.Waiting}，本次暫緩，新增 0 件逾期");
        }

        var overdue = 0;
        // Past the deadline as issued at least: every deadline a notice has had is on or after it.
        foreach (var notice in notices.List().Where(notice => notice.Status.IsOpen() && clock.Today > notice.DeadlineIssued))
        {
            var sent = outbound.ListForNotice(notice.Id);
            var followUps = rounds.ListFollowUps(notice.Id);
            if (OverdueNote.Passed(notice, followUps, sent, clock.Today) is not { } passed)
            {
                continue;
            }

            // A preview's counts only for another preview: the real one still goes on its day.
            var day = $"overdue:{notice.Reference}:{passed:yyyyMMdd}";
            var key = run.Mark(day);
            if (run.Done(marks, day))
            {
                continue;
            }

            var filed = replies.ListForNotice(notice.Id);
            if (!DeadlineDuty.Runs(notice, () => filed))
            {
                continue;
            }

            SameIncidentReply? same;
            WaitingForNotice waiting;
            using (var session = database.BeginRead())
            {
                same = SameIncidentReply.Latest(session, notice);
                waiting = WaitingForNotice.Of(session, notice, options);
            }

            var detail = OverdueNote.Detail(notice, filed, sent, followUps, organisations.Find(notice.OrgCode) is { Emails.Count: > 0 },
                waiting, options.Zone, passed, same);
            var lines = OverdueNote.Lines(notice, detail);
            if (StaffMail.Create(options, OverdueNote.Subject(notice), OverdueNote.Text(lines), StaffMail.Html(lines), clock.UtcNow) is { } mail)
            {
                outbox.Queue(OutboundKind.Overdue, notice.Id, mail, key, timelineDetail: null, deadline: passed);
            }

            // Marked after queueing: a stop in between queues nothing twice (same key) and still records the event.
            overdue += marks.TryMark(key, notice.Id, clock.UtcNow, TimelineEvent.Overdue, detail) ? 1 : 0;
        }

        return Task.FromResult($"逾期檢查：新增 {overdue} 件逾期");
    }
}
