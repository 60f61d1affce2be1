using MailIntake.Storage;
using MailIntake.Worker.Application;
using MailIntake.Worker.Options;
using MailIntake.Worker.Outbound;
using MimeKit;

namespace MailIntake.Worker.Jobs;

/// <summary>
/// The daily digest to Staff:DigestRecipients at Staff:DigestTime on working days — one per day however often
/// the job runs (the outbox key is the day). "New" means since the previous digest.
/// </summary>
public sealed class DailyDigest(
    DigestQuery query,
    OutboundRepository outbound,
    OutboxWriter outbox,
    CenterClock clock,
    MailIntakeOptions options) : ISweeper
{
    public string Name => "digest";

    public Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var today = clock.Today;
        var key = $"digest:{today:yyyyMMdd}";
        if (!clock.Calendar.IsWorkingDay(today))
        {
            return Task.FromResult("每日摘要：今日非上班日，不寄送");
        }

        if (!clock.HasReached(today, options.Staff.DigestTime))
        {
            return Task.FromResult($"每日摘要：尚未到寄送時間 {options.Staff.DigestTime:HH\\:mm}");
        }

        if (options.Staff.DigestRecipients.Count == 0 || outbound.Exists(key))
        {
            return Task.FromResult("每日摘要：今日已寄出或未設定收件者");
        }

        var view = Gather();
        var body = new BodyBuilder { TextBody = DigestText.PlainText(view, options.Zone), HtmlBody = DigestText.Html(view, options.Zone) };
        var message = OutgoingMessage.Create(options, options.Staff.DigestRecipients, DigestText.Subject(view), body, "auto-generated", clock.UtcNow);
        outbox.Queue(OutboundKind.Digest, noticeId: null, message, key, timelineDetail: null);
        return Task.FromResult($"每日摘要：已排入寄送（{view.Open.Count} 件未結案）");
    }

    public DigestView Gather() => query.Get();
}
