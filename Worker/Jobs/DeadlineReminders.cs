using MailIntake.Storage;
using MailIntake.Worker.Application;
using MailIntake.Worker.Options;
using MailIntake.Worker.Outbound;

namespace MailIntake.Worker.Jobs;

/// <summary>
/// Reminds an organisation of its deadline at Reminders:SendTime on each of Reminders:DaysBefore days before it,
/// a day that falls on a weekend or holiday moving to the working day before; while the notice is issued (no reply
/// yet) or extended (the organisation works to a new deadline; the reminder says what was received and what is
/// missing); once per (notice, deadline, offset). After downtime only the latest reminder that became due is sent: earlier
/// ones would say the same thing late.
/// </summary>
public sealed class DeadlineReminders(
    NoticeRepository notices,
    OrganisationRepository organisations,
    ReplyRepository replies,
    FollowUpRepository followUps,
    OutboxWriter outbox,
    SweepMarkRepository marks,
    CenterClock clock,
    MailIntakeOptions options) : ISweeper
{
    public string Name => "reminders";

    public Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var queued = 0;
        foreach (var notice in notices.List().Where(notice => notice.Status is NoticeStatus.Issued or NoticeStatus.Extended))
        {
            if (DueOffset(notice.Deadline) is not { } daysBefore)
            {
                continue;
            }

            var key = $"reminder:{notice.Reference}:{notice.Deadline:yyyyMMdd}:{daysBefore}";
            if (marks.Exists(key) || organisations.Find(notice.OrgCode) is not { Emails.Count: > 0 } organisation)
            {
                continue;
            }

            var mail = ReminderMail.Create(notice, organisation, daysBefore, replies.ListForNotice(notice.Id), followUps.ListConfirmations(notice.Id), options, clock.UtcNow);
            outbox.Queue(OutboundKind.Reminder, notice.Id, mail, key, timelineDetail: null);
            marks.TryMark(key, notice.Id, clock.UtcNow, TimelineEvent.Reminder,
                $"改善期限（{Labels.Date(notice.Deadline)}）前 {daysBefore} 日提醒已寄給 {string.Join("、", organisation.Emails)}");
            queued++;
        }

        return Task.FromResult($"期限提醒：排入 {queued} 封");
    }

    /// <summary>The smallest configured offset whose reminder moment has come and whose deadline has not passed.</summary>
    public int? DueOffset(DateOnly deadline)
    {
        if (clock.Today > deadline)
        {
            return null;
        }

        return options.Reminders.DaysBefore
            .Where(days => clock.HasReached(ReminderDay(deadline, days), options.Reminders.SendTime))
            .Order()
            .Cast<int?>()
            .FirstOrDefault();
    }

    public DateOnly ReminderDay(DateOnly deadline, int daysBefore) => clock.Calendar.OnOrBefore(deadline.AddDays(-daysBefore));
}
