using MailIntake.Parsing;
using MailIntake.Storage;
using MailIntake.Worker.Options;
using MimeKit;

namespace MailIntake.Worker.Outbound;

/// <summary>Queues the mails the center sends: each is rendered, kept as a file and recorded as an outbox row before any sending.</summary>
public sealed class NoticeMailer(OutboundRepository outbox, MailIntakeOptions options, TimeProvider time)
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
        return Queue(OutboundKinds.Notice, notice, message, $"notice:{notice.Reference}",
            $"限期改善單郵件已排入寄送佇列，收件者 {string.Join("、", organisation.Emails)}");
    }

    private bool Queue(string kind, Notice notice, MimeMessage message, string idempotencyKey, string timelineDetail)
    {
        var messageId = MailReader.NormaliseMessageId(message.MessageId)!;
        var relativePath = Path.Combine("outbound", $"{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(idempotencyKey)))}.eml");
        var fullPath = Path.Combine(options.DataDirectory, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        message.WriteTo(fullPath);
        return outbox.Queue(
            new NewOutboundMail(kind, notice.Id, message.To.Mailboxes.Select(mailbox => mailbox.Address).ToList(), message.Subject ?? string.Empty, idempotencyKey, messageId, relativePath),
            time.GetUtcNow(),
            timelineDetail);
    }
}
