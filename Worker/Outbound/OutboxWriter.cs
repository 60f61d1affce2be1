using System.Security.Cryptography;
using System.Text;
using MailIntake.Parsing;
using MailIntake.Storage;
using MailIntake.Worker.Options;
using MimeKit;

namespace MailIntake.Worker.Outbound;

/// <summary>Puts a rendered mail into the outbox: the message file is written, then the row, before any sending.</summary>
public sealed class OutboxWriter(Database database, MailIntakeOptions options, TimeProvider time)
{
    /// <summary>Queues a mail on its own (a job's mail): file and row, the row in its own transaction.</summary>
    /// <paramref name="replyMailId"/>, <paramref name="deadline"/>, <paramref name="daysBefore"/>: as for the session's overload.
    public bool Queue(
        OutboundKind kind, long? noticeId, MimeMessage message, string idempotencyKey, string? timelineDetail, TimelineEvent timelineEvent = TimelineEvent.Queued,
        long? replyMailId = null, DateOnly? deadline = null, int? daysBefore = null)
    {
        using var session = database.Begin();
        var queued = Queue(session, kind, noticeId, message, idempotencyKey, timelineDetail, timelineEvent,
            replyMailId: replyMailId, deadline: deadline, daysBefore: daysBefore);
        session.Commit();
        return queued;
    }

    /// <summary>
    /// Queues a mail inside a use case's session: the file is written now and removed again if the session rolls back,
    /// so a refusal or a crash halfway leaves no mail behind.
    /// </summary>
    /// <paramref name="followUpRound"/>: the round an extension mail announces; <paramref name="replyMailId"/>: the reply a
    /// receipt answers or a phone prompt asks about; <paramref name="deadline"/>: the deadline a reminder or an overdue note
    /// is written for; <paramref name="daysBefore"/>: a reminder's offset before it — each kept in its own column, read by the
    /// check before sending (never parsed back out of the idempotency key).
    public bool Queue(
        StorageSession session, OutboundKind kind, long? noticeId, MimeMessage message, string idempotencyKey, string? timelineDetail,
        TimelineEvent timelineEvent = TimelineEvent.Queued, int? followUpRound = null, long? replyMailId = null, DateOnly? deadline = null, int? daysBefore = null)
    {
        if (OutboundRepository.Exists(session, idempotencyKey))
        {
            return false;
        }

        var relativePath = Path.Combine("outbound", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey))) + ".eml");
        var fullPath = Path.Combine(options.DataDirectory, relativePath);
        // Durable before its row commits: the sender trusts that a queued row has its message on disk, and checks it
        // still holds these bytes (their SHA-256 and size, recorded with the row) before it sends them.
        using var bytes = new MemoryStream();
        message.WriteTo(bytes);
        DurableFile.Write(fullPath, stream => stream.Write(bytes.GetBuffer(), 0, (int)bytes.Length), within: options.DataDirectory);
        var written = new StoredFile(relativePath, Convert.ToHexStringLower(SHA256.HashData(bytes.GetBuffer().AsSpan(0, (int)bytes.Length))), bytes.Length);
        session.OnRollback(() => File.Delete(fullPath));
        return OutboundRepository.Queue(
            session,
            new NewOutboundMail(
                kind,
                noticeId,
                message.To.Mailboxes.Select(mailbox => mailbox.Address).ToList(),
                message.Subject ?? string.Empty,
                idempotencyKey,
                MailReader.NormaliseMessageId(message.MessageId)!,
                relativePath)
            {
                Mime = written,
                // What a reminder or receipt says depends on its notice's state: kept, so the sender can tell it changed.
                NoticeState = noticeId is { } id && kind is OutboundKind.Reminder or OutboundKind.Receipt ? NoticeRepository.State(session, id) : null,
                FollowUpRound = followUpRound,
                ReplyMailId = replyMailId,
                Deadline = deadline,
                DaysBefore = daysBefore,
            },
            time.GetUtcNow(),
            timelineDetail,
            timelineEvent);
    }

    /// <summary>
    /// Replaces a queued mail's message with <paramref name="message"/> (its words written again for the notice's state
    /// <paramref name="noticeState"/>; its recipients those of the message now): the new file is durable before the row names it (with its SHA-256 and size, as
    /// when queued), the old file is removed after. Returns the row as it now is, or null when it was no longer queued.
    /// </summary>
    public OutboundMail? Rewrite(OutboundMail mail, MimeMessage message, string noticeState, string? timelineDetail, Func<StorageSession, bool>? alongside = null)
    {
        using var bytes = new MemoryStream();
        message.WriteTo(bytes);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes.GetBuffer().AsSpan(0, (int)bytes.Length)));
        var relativePath = Path.Combine("outbound", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{mail.IdempotencyKey}:{sha256}"))) + ".eml");
        var fullPath = Path.Combine(options.DataDirectory, relativePath);
        using var session = database.Begin();
        DurableFile.Write(fullPath, stream => stream.Write(bytes.GetBuffer(), 0, (int)bytes.Length), within: options.DataDirectory);
        session.OnRollback(() => File.Delete(fullPath));
        var written = new StoredFile(relativePath, sha256, bytes.Length);
        var to = message.To.Mailboxes.Select(mailbox => mailbox.Address).ToList();
        if (!OutboundRepository.Rewrite(session, mail, written, to, noticeState, time.GetUtcNow(), timelineDetail) || alongside?.Invoke(session) == false)
        {
            return null;
        }

        session.Commit();
        if (!string.Equals(mail.MimePath, relativePath, StringComparison.Ordinal))
        {
            File.Delete(Path.Combine(options.DataDirectory, mail.MimePath));
        }

        return mail with { MimePath = relativePath, Mime = written, NoticeState = noticeState, To = to };
    }

    /// <summary>True for the center's own addresses: we never answer ourselves.</summary>
    public bool IsOwnAddress(string? address) =>
        address is not null
        && (string.Equals(address, MailboxAddress.Parse(options.Smtp.From).Address, StringComparison.OrdinalIgnoreCase)
            || string.Equals(address, options.Center.Email, StringComparison.OrdinalIgnoreCase));
}
