using System.Security.Cryptography;
using MailIntake.Parsing;
using MailIntake.Storage;
using MailIntake.Worker.Options;
using MimeKit;

namespace MailIntake.Worker.Application;

/// <summary>Builds <see cref="MailDetail"/>: the stored record and evidence, and the raw message read again as the intake read it.</summary>
public sealed class MailDetailQuery(MailRepository mails, EvidenceRepository evidence, MailIntakeOptions options)
{
    public MailDetail Get(long mailId)
    {
        var mail = mails.Get(mailId) ?? throw new NoticeRuleException(NoticeRuleCode.MailNotFound, mailId.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var rawPath = ContentStore.RawMail(options.DataDirectory).FullPath(mail.RawPath);
        var stored = evidence.ListForMail(mailId)
            .Select(file => new MailAttachment(file.FileName, file.Size, file.Sha256, file.Item, file.Flags, file.KeptPath))
            .ToList();
        if (!File.Exists(rawPath))
        {
            return new MailDetail(mail, rawPath, RawMailState.Missing, [], null, [], [], null, null, stored);
        }

        MimeMessage message;
        try
        {
            using var stream = UnixFiles.OpenRegular(rawPath);
            message = MailParserOptions.Load(stream);
        }
        catch (Exception exception) when (exception is FormatException or NotARegularFileException)
        {
            // Unparseable (the intake recorded it so too): its record and the raw bytes (--raw) are what there is.
            // A link, FIFO or device where the raw file belongs is never read: it could hang, or show another file.
            return new MailDetail(mail, rawPath, RawMailState.Unreadable, [], null, [], [], null, null, stored);
        }

        var parsed = MailReader.Read(message);
        return new MailDetail(
            mail,
            rawPath,
            RawMailState.Readable,
            message.Headers.Select(header => new MailHeader(header.Field, header.Value.Trim())).ToList(),
            message.From.Mailboxes.FirstOrDefault() is { } from ? (string.IsNullOrWhiteSpace(from.Name) ? from.Address : $"{from.Name} <{from.Address}>") : null,
            message.To.Mailboxes.Select(mailbox => mailbox.Address).ToList(),
            message.Cc.Mailboxes.Select(mailbox => mailbox.Address).ToList(),
            message.Headers.Contains(HeaderId.Date) ? message.Date : null,
            parsed.BodyText,
            stored.Count > 0 ? stored : parsed.Attachments.Select(InRawOnly).ToList())
        {
            // A mail that failed or was never processed has no sender or subject recorded: its raw message tells them.
            Subject = mail.Subject ?? (string.IsNullOrEmpty(parsed.Subject) ? null : parsed.Subject),
            FromAddress = mail.From ?? parsed.FromAddress,
        };
    }

    /// <summary>An attachment that no evidence file holds: measured from the raw message.</summary>
    private static MailAttachment InRawOnly(ParsedAttachment attachment)
    {
        using var content = new MemoryStream();
        attachment.Part.Content?.DecodeTo(content);
        return new MailAttachment(
            attachment.Name.FileName, content.Length, Convert.ToHexStringLower(SHA256.HashData(content.ToArray())),
            attachment.Name.Item, attachment.Name.Flags, StoredPath: null);
    }
}
