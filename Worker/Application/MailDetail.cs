using MailIntake.Storage;

namespace MailIntake.Worker.Application;

/// <summary>A header of the raw message, decoded (RFC 2047 words read as text).</summary>
public sealed record MailHeader(string Name, string Value);

/// <summary>
/// An attachment of the mail: where its evidence file is kept (<paramref name="StoredPath"/>, relative to the data
/// directory), or null when the mail's kind keeps none (an auto-reply, a bounce) and it lives only in the raw mail.
/// </summary>
public sealed record MailAttachment(string FileName, long Size, string Sha256, int? Item, IReadOnlyList<string> Flags, string? StoredPath);

public enum RawMailState
{
    Readable,
    Missing,
    Unreadable,
}

/// <summary>
/// One received mail as staff read it (<c>mail show</c>): what was recorded about it (kind, reason, notice), and what
/// its raw message says (headers, text body, attachments). CLI text and JSON render this one view.
/// </summary>
public sealed record MailDetail(
    MailSummary Mail,
    string RawFullPath,
    RawMailState Raw,
    IReadOnlyList<MailHeader> Headers,
    string? FromDisplay,
    IReadOnlyList<string> To,
    IReadOnlyList<string> Cc,
    DateTimeOffset? Date,
    string? Body,
    IReadOnlyList<MailAttachment> Attachments)
{
    /// <summary>The subject as recorded, or as the raw message gives it when none was recorded (a mail not processed yet, or failing).</summary>
    public string? Subject { get; init; } = Mail.Subject;

    /// <summary>The sender's address as recorded, or as the raw message gives it when none was recorded.</summary>
    public string? FromAddress { get; init; } = Mail.From;
}
