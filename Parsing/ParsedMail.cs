using MimeKit;

namespace MailIntake.Parsing;

/// <summary>What a received mail says, read without any knowledge of notices or organisations.</summary>
public sealed record ParsedMail(
    string? MessageId,
    string? FromAddress,
    string Subject,
    IReadOnlyList<string> ThreadIds,
    string BodyText,
    IReadOnlyList<ParsedAttachment> Attachments,
    Filler? Filler,
    DateOnly? CompletedOn,
    bool IsMailingList = false);

/// <summary>An attachment: the MIME part to stream its content from, and what its name tells.</summary>
public sealed record ParsedAttachment(MimePart Part, string? OriginalName, AttachmentName Name, string ContentType);
