using System.Text.RegularExpressions;
using MimeKit;
using MimeKit.Utils;

namespace MailIntake.Parsing;

/// <summary>Reads a MimeMessage into a <see cref="ParsedMail"/>: sender, subject, thread ids, body text, attachments, the filled form fields.</summary>
public static partial class MailReader
{
    private static readonly string[] DocumentExtensions = [".docx", ".odt", ".pdf"];

    public static ParsedMail Read(MimeMessage message)
    {
        var contents = MessageContents.Walk(message);
        // An Outlook mail whose only body is inside winmail.dat: the body is recovered from the TNEF stream.
        var body = BodyText(message) is { Length: > 0 } text ? text : contents.TnefBody ?? string.Empty;
        var attachments = Attachments(contents.Attachments).Select(WithDocumentText).ToList();
        var forms = attachments.Select(attachment => attachment.Text).OfType<string>().Select(ReturnedFormReader.Read).OfType<ReturnedForm>().ToList();
        // A forwarded mail's own filler lines (the organisation's) when the forwarding mail has none.
        var bodyFiller = FillerReader.Read(body) ?? contents.InnerTexts.Select(FillerReader.Read).FirstOrDefault(filler => filler is not null);
        var formFiller = forms.Select(form => form.Filler).OfType<Filler>().FirstOrDefault();
        var completedOn = CompletionDateReader.Read(body) ?? forms.Select(form => form.CompletedOn).FirstOrDefault(date => date is not null);
        return new ParsedMail(
            NormaliseMessageId(message.MessageId),
            FromAddress(message),
            message.Subject ?? string.Empty,
            ThreadIds(message),
            body,
            attachments,
            Merge(bodyFiller, formFiller),
            completedOn,
            IsMailingList: message.Headers.Contains("List-Id") || message.Headers.Contains("List-Post"))
        {
            Forms = forms,
            BodyAnswers = ReturnedFormReader.ItemAnswers(Unquoted(body)),
            InnerTexts = contents.InnerTexts,
            InnerFromAddresses = contents.InnerFromAddresses,
            CompletedOnUnreadable = completedOn is null
                ? CompletionDateReader.Unreadable(body) ?? forms.Select(form => CompletionDateReader.Unreadable(form.Text)).FirstOrDefault(text => text is not null)
                : null,
        };
    }

    /// <summary>
    /// The sender's address, lower case. A From whose display name MimeKit cannot parse still names its sender in
    /// angle brackets: raw Big5 whose second byte is a backslash (許, 功, 蓋 …) escapes the closing quote, and a stray
    /// parenthesis opens a comment that never ends. Such a sender is read from its angle-bracketed address, not lost.
    /// Some mailers (Python's compat32 email, some webmail) write the whole From — name and address — as one RFC 2047
    /// encoded-word, which MimeKit takes for an address: that word is decoded and read again as a mailbox. Whatever comes
    /// out must be an address (user@domain); anything else is no sender at all, never a recipient.
    /// </summary>
    public static string? FromAddress(MimeMessage message)
    {
        var address = message.From.Mailboxes.FirstOrDefault()?.Address;
        var header = message.Headers[HeaderId.From];
        if (!IsAddress(address) && header is not null && header.Contains("=?", StringComparison.Ordinal)
            && MailboxAddress.TryParse(Rfc2047.DecodeText(System.Text.Encoding.ASCII.GetBytes(header.Trim())), out var decoded))
        {
            address = decoded.Address;
        }

        if (!IsAddress(address) && header is not null && AngleAddress().Match(header) is { Success: true } match
            && MailboxAddress.TryParse(match.Groups["address"].Value, out var mailbox))
        {
            address = mailbox.Address;
        }

        return IsAddress(address) ? address!.Trim().ToLowerInvariant() : null;
    }

    /// <summary>user@domain with something on both sides, no spaces, no encoded-word left in it.</summary>
    private static bool IsAddress(string? address)
    {
        var trimmed = address?.Trim();
        var at = trimmed?.LastIndexOf('@') ?? -1;
        return trimmed is not null && at > 0 && at < trimmed.Length - 1
               && !trimmed.Any(char.IsWhiteSpace) && !trimmed.Contains("=?", StringComparison.Ordinal) && !trimmed.Any(char.IsControl);
    }

    /// <summary>The body without the lines it quotes ("> "): an earlier mail's answers are not this mail's.</summary>
    private static string Unquoted(string body) =>
        string.Join('\n', body.Split(["\r\n", "\n", "\r"], StringSplitOptions.None).Where(line => !line.TrimStart().StartsWith('>')));

    /// <summary>The body's filler, each missing field taken from the returned form.</summary>
    private static Filler? Merge(Filler? body, Filler? form) =>
        body is null ? form
        : form is null ? body
        : new Filler(body.Name ?? form.Name, body.Phone ?? form.Phone, body.Email ?? form.Email);

    /// <summary>Reads the text of a .docx, .odt or PDF attachment (bounded by FormTextExtractor's limits) for matching and the form's fields.</summary>
    private static ParsedAttachment WithDocumentText(ParsedAttachment attachment)
    {
        var extension = Path.GetExtension(attachment.Name.FileName).ToLowerInvariant();
        if (!DocumentExtensions.Contains(extension) || attachment.Part.Content is null)
        {
            return attachment;
        }

        using var content = new MemoryStream();
        attachment.Part.Content.DecodeTo(content);
        content.Position = 0;
        return attachment with { Text = FormTextExtractor.ExtractText(attachment.Name.FileName, content) };
    }

    /// <summary>The Message-ID as stored and compared: without angle brackets, or null when absent or blank.</summary>
    public static string? NormaliseMessageId(string? messageId)
    {
        var trimmed = messageId?.Trim().Trim('<', '>').Trim();
        return string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }

    /// <summary>Reads only the header block of a raw message for its Message-ID (used to record a mail before parsing it).</summary>
    public static string? ReadMessageId(Stream raw)
    {
        var headers = MailParserOptions.LoadHeaders(raw);
        return NormaliseMessageId(headers[HeaderId.MessageId]);
    }

    [GeneratedRegex(@"<(?<address>[^<>\s""()\\,;:@]+@[^<>\s""()\\,;:@]+)>\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex AngleAddress();

    private static IReadOnlyList<string> ThreadIds(MimeMessage message)
    {
        var ids = new List<string>();
        if (NormaliseMessageId(message.InReplyTo) is { } inReplyTo)
        {
            ids.Add(inReplyTo);
        }

        ids.AddRange(message.References.Select(NormaliseMessageId).OfType<string>());
        return ids.Distinct(StringComparer.Ordinal).ToList();
    }

    internal static string BodyText(MimeMessage message)
    {
        if (!string.IsNullOrWhiteSpace(message.TextBody))
        {
            return message.TextBody;
        }

        return message.HtmlBody is { } html ? HtmlText.ToPlainText(html) : string.Empty;
    }

    private static IReadOnlyList<ParsedAttachment> Attachments(IReadOnlyList<MimePart> parts) =>
        parts.Select((part, index) => new ParsedAttachment(
                part,
                part.FileName,
                AttachmentNameInspector.Inspect(part.FileName, index + 1),
                part.ContentType.MimeType.ToLowerInvariant()))
            .ToList();
}
