using MailIntake.Storage;
using MailIntake.Worker.Options;
using MimeKit;

namespace MailIntake.Worker.Outbound;

/// <summary>Queues the mails the center sends: each is rendered, kept as a file and recorded as an outbox row before any sending.</summary>
public sealed class NoticeMailer(OutboxWriter outbox, MailIntakeOptions options, TimeProvider time)
{
    public bool QueueNotice(Notice notice, Organisation organisation)
    {
        var issuedOn = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(notice.IssuedAt, options.Zone).DateTime);
        var body = new BodyBuilder
        {
            TextBody = NoticeMailText.PlainText(notice, options.Center, issuedOn),
            HtmlBody = NoticeMailText.Html(notice, options.Center, issuedOn),
        };
        var message = OutgoingMessage.Create(options, organisation.Emails, NoticeMailText.Subject(notice), body, autoSubmitted: "auto-generated");
        message.Date = time.GetUtcNow();
        return outbox.Queue(OutboundKinds.Notice, notice.Id, message, $"notice:{notice.Reference}",
            $"限期改善單郵件已排入寄送佇列，收件者 {string.Join("、", organisation.Emails)}");
    }
}
