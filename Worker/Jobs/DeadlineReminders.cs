using MailIntake.Storage;
using MailIntake.Worker.Application;
using MailIntake.Worker.Options;
using MailIntake.Worker.Outbound;

namespace MailIntake.Worker.Jobs;

/// <summary>
/// Reminds an organisation of its deadline at Reminders:SendTime on each of Reminders:DaysBefore days before it,
/// a day that falls on a weekend or holiday moving to the working day before; while the organisation still works to the
/// deadline (<see cref="DeadlineDuty"/>: no reply yet, or extended and something is still missing; the reminder says what
/// was received and what is missing); once per (notice, deadline, offset). After downtime only the latest reminder that became due is sent: earlier
/// ones would say the same thing late.
/// Only what is true is sent: never for a notice whose mail was never sent to the organisation (issued without sending,
/// or still waiting in the outbox), never for a reminder day that fell before the organisation was told of the deadline
/// (the notice or extension mail itself was the reminder), only on a working day from SendTime on (a start at 2 a.m. waits
/// for the morning), and the days left are counted from the day it is sent to the current deadline.
/// </summary>
public sealed class DeadlineReminders(
    NoticeRepository notices,
    OrganisationRepository organisations,
    ReplyRepository replies,
    FollowUpRepository followUps,
    OutboundRepository outbound,
    Database database,
    OutboxWriter outbox,
    SweepMarkRepository marks,
    CenterClock clock,
    JobRun run,
    MailIntakeOptions options) : ISweeper
{
    public string Name => "reminders";

    public Task<string> RunAsync(CancellationToken cancellationToken)
    {
        if (!clock.Calendar.IsWorkingDay(clock.Today) || clock.TimeOfDay < options.Reminders.SendTime)
        {
            return Task.FromResult("期限提醒：非寄送時間（上班日寄送時間起），排入 0 封");
        }

        if (RestoreReread.Pending(marks, options))
        {
            // h31h Q11: a reply the restored store lacks still waits in processed/: "no reply" could be false.
            return Task.FromResult($"期限提醒：{RestoreReread.Waiting}，本次暫緩，排入 0 封");
        }

        int queued = 0, skipped = 0;
        foreach (var notice in notices.List().Where(notice => notice.Status.IsOpen()))
        {
            if (!DeadlineDuty.Runs(notice, () => replies.ListForNotice(notice.Id)))
            {
                continue;
            }

            if (ToldAt(notice) is not { } told || DueOffset(notice.Deadline, told) is not { } daysBefore)
            {
                continue;
            }

            // A preview's counts only for another preview: the real one still goes on its day.
            var day = $"reminder:{notice.Reference}:{notice.Deadline:yyyyMMdd}:{daysBefore}";
            var key = run.Mark(day);
            if (run.Done(marks, day))
            {
                continue;
            }

            // The organisation has no registered address now (an import dropped it): the reminder cannot go, and that is
            // recorded once, on the timeline (the digest lists the organisation as unreachable) — never skipped unseen.
            if (organisations.Find(notice.OrgCode) is not { Emails.Count: > 0 } organisation)
            {
                skipped += marks.TryMark(key, notice.Id, clock.UtcNow, TimelineEvent.Reminder,
                    $"改善期限（{Labels.Date(notice.Deadline)}）前 {daysBefore} 日提醒未寄出：機關 {notice.OrgCode} 目前沒有登記電子郵件，請補登機關電子郵件或另以電話、紙本通知") ? 1 : 0;
                continue;
            }

            var daysLeft = notice.Deadline.DayNumber - clock.Today.DayNumber;
            OtherMail other;
            using (var session = database.BeginRead())
            {
                other = OtherMail.Of(session, notice, organisation.Emails, options);
            }

            var mail = ReminderMail.Create(notice, organisation.Emails, daysLeft, replies.ListForNotice(notice.Id), followUps.ListConfirmations(notice.Id), options, clock.UtcNow,
                other, ReminderMail.SentElsewhere(notice, outbound.ListForNotice(notice.Id), organisation.Emails, options));
            outbox.Queue(OutboundKind.Reminder, notice.Id, mail, key, timelineDetail: null, deadline: notice.Deadline, daysBefore: daysBefore);
            marks.TryMark(key, notice.Id, clock.UtcNow, TimelineEvent.Reminder,
                $"改善期限（{Labels.Date(notice.Deadline)}）前 {daysBefore} 日提醒已排入寄送，收件者 {string.Join("、", organisation.Emails)}（{ReminderMail.DaysLeft(daysLeft)}）");
            queued++;
        }

        return Task.FromResult($"期限提醒：排入 {queued} 封" + (skipped > 0 ? $"；{skipped} 件因機關未登記電子郵件未寄出" : ""));
    }

    /// <summary>
    /// When the organisation was told of the notice's current deadline: the latest of its notice and extension mails that
    /// was sent; null while the notice mail itself was never sent (issued without sending, not yet delivered, failed).
    /// </summary>
    private DateTimeOffset? ToldAt(Notice notice)
    {
        var sent = outbound.ListForNotice(notice.Id).Where(mail => mail.Status == OutboundStatus.Sent && mail.SentAt is not null).ToList();
        if (!sent.Any(mail => mail.Kind == OutboundKind.Notice))
        {
            return null;
        }

        return sent.Where(mail => mail.Kind is OutboundKind.Notice or OutboundKind.Extension).Max(mail => mail.SentAt);
    }

    /// <summary>
    /// The smallest configured offset whose reminder moment has come, came after <paramref name="toldAt"/>, and whose
    /// deadline has not passed.
    /// </summary>
    public int? DueOffset(DateOnly deadline, DateTimeOffset toldAt)
    {
        if (clock.Today > deadline)
        {
            return null;
        }

        return options.Reminders.DaysBefore
            .Where(days => clock.HasReached(ReminderDay(deadline, days), options.Reminders.SendTime)
                           && clock.Instant(ReminderDay(deadline, days), options.Reminders.SendTime) > toldAt)
            .Order()
            .Cast<int?>()
            .FirstOrDefault();
    }

    public DateOnly ReminderDay(DateOnly deadline, int daysBefore) => clock.Calendar.OnOrBefore(deadline.AddDays(-daysBefore));
}
