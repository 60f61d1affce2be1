using MailIntake.Storage;
using MailIntake.Worker.Application;
using MailIntake.Worker.Options;
using MailIntake.Worker.Outbound;
using MailIntake.Worker.StaffActions;

namespace MailIntake.Worker.Jobs;

/// <summary>
/// The daily digest to Staff:DigestRecipients at Staff:DigestTime on working days — one per day however often
/// the job runs (the outbox key starts with the day). "New" means since the previous digest.
/// </summary>
public sealed class DailyDigest(
    DigestQuery query,
    OutboundRepository outbound,
    OutboxWriter outbox,
    MailCandidates candidates,
    ActionKeyStore keys,
    SweepMarkRepository marks,
    CenterClock clock,
    JobRun run,
    MailIntakeOptions options) : ISweeper
{
    /// <summary>What the key of every real digest starts with (a preview's does not).</summary>
    public const string KeyPrefix = "digest:";

    public string Name => "digest";

    public Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var today = clock.Today;
        var key = $"{KeyPrefix}{today:yyyyMMdd}";
        if (!clock.Calendar.IsWorkingDay(today))
        {
            return Task.FromResult("每日摘要：今日非上班日，不寄送");
        }

        if (!clock.HasReached(today, options.Staff.DigestTime))
        {
            return Task.FromResult($"每日摘要：尚未到寄送時間 {options.Staff.DigestTime:HH\\:mm}");
        }

        // The day's digest is done once one was queued up to now: one stamped later was queued by a clock that was ahead
        // and does not stand in for today's (it is sent again, under a key of its own). A preview's counts only for
        // another preview of that day, whatever moment either was run as of.
        var done = run.Preview
            ? outbound.ExistsQueuedBy(key, notAfter: DateTimeOffset.MaxValue, includePreviews: true)
            : outbound.ExistsQueuedBy(key, notAfter: clock.UtcNow, includePreviews: false);
        if (options.Staff.DigestRecipients.Count == 0 || done)
        {
            return Task.FromResult("每日摘要：今日已寄出或未設定收件者");
        }

        if (RestoreReread.Pending(marks, options))
        {
            // h33h S3: its rows (已逾期・未收到回覆, 尚未回覆, follow-ups due) would say no reply came while one may wait in
            // processed/: it waits, as the reminders do, and goes once the next pass has read it (later the same day).
            return Task.FromResult($"每日摘要：{RestoreReread.Waiting}，本次暫緩");
        }

        if (options.Staff.DigestRecipients.Any(recipient => outbound.Exists(StaffMail.Key(run.Mark(key), recipient))))
        {
            key = $"{key}:{clock.UtcNow.UtcTicks}";
        }

        key = run.Mark(key);
        var view = Gather();
        var text = DigestText.PlainText(view, options.Zone);
        var possible = view.MailsToSettle.ToDictionary(mail => mail.MailId, candidates.For);
        // One copy per recipient: a member's carries the action links signed for them.
        foreach (var (recipient, message) in StaffMail.CreateEach(
                     options, keys, DigestText.Subject(view), links => (text, DigestText.Html(view, options.Zone, links, mail => possible[mail.MailId])), clock.UtcNow))
        {
            outbox.Queue(OutboundKind.Digest, noticeId: null, message, StaffMail.Key(key, recipient), timelineDetail: null);
        }

        return Task.FromResult($"每日摘要：已排入寄送（{view.Open.Count} 件未結案）");
    }

    /// <summary>The digest's view; it says why the buttons are left out when members would get them but the key cannot be used (h15h K5).</summary>
    public DigestView Gather() => query.Get() with
    {
        ActionKeyUnusable = options.Staff.DigestRecipients.Any(recipient => options.Staff.FindMember(MimeKit.MailboxAddress.Parse(recipient).Address) is not null)
            && keys.Problem() is not null,
    };
}
