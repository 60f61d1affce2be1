using System.Security.Cryptography;
using System.Text;
using MailIntake.Parsing;
using MailIntake.Storage;
using MailIntake.Worker.Options;
using MimeKit;

namespace MailIntake.Worker.Outbound;

/// <summary>Puts a rendered mail into the outbox: the message file is written, then the row, before any sending.</summary>
public sealed class OutboxWriter(OutboundRepository outbox, MailIntakeOptions options, TimeProvider time)
{
    public bool Queue(
        string kind, long? noticeId, MimeMessage message, string idempotencyKey, string? timelineDetail, string timelineEvent = TimelineEvent.Queued)
    {
        if (outbox.Exists(idempotencyKey))
        {
            return false;
        }

        var relativePath = Path.Combine("outbound", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey))) + ".eml");
        var fullPath = Path.Combine(options.DataDirectory, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        message.WriteTo(fullPath);
        return outbox.Queue(
            new NewOutboundMail(
                kind,
                noticeId,
                message.To.Mailboxes.Select(mailbox => mailbox.Address).ToList(),
                message.Subject ?? string.Empty,
                idempotencyKey,
                MailReader.NormaliseMessageId(message.MessageId)!,
                relativePath),
            time.GetUtcNow(),
            timelineDetail,
            timelineEvent);
    }

    /// <summary>True for the center's own addresses: we never answer ourselves.</summary>
    public bool IsOwnAddress(string? address) =>
        address is not null
        && (string.Equals(address, MailboxAddress.Parse(options.Smtp.From).Address, StringComparison.OrdinalIgnoreCase)
            || string.Equals(address, options.Center.Email, StringComparison.OrdinalIgnoreCase));
}
