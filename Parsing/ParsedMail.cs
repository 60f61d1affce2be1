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
    bool IsMailingList = false)
{
    /// <summary>Returned notice forms (.docx, .odt, text PDF) found among the attachments.</summary>
    public IReadOnlyList<ReturnedForm> Forms { get; init; } = [];

    /// <summary>
    /// The items answered in the mail body itself, after the form's 「完成以下改善事項」 (quoted lines left out): an
    /// organisation that writes the form into its mail instead of filling the file.
    /// </summary>
    public IReadOnlyList<ItemAnswer> BodyAnswers { get; init; } = [];

    /// <summary>A completion date written but not readable as a date (as written), when no readable one was found.</summary>
    public string? CompletedOnUnreadable { get; init; }

    /// <summary>Subjects and bodies of forwarded or attached messages (message/rfc822), looked into for the reference and code.</summary>
    public IReadOnlyList<string> InnerTexts { get; init; } = [];

    /// <summary>The senders (lower case) of the forwarded or attached messages: a forwarded reply is the organisation's when its own sender is.</summary>
    public IReadOnlyList<string> InnerFromAddresses { get; init; } = [];
}

/// <summary>An attachment: the MIME part to stream its content from, what its name tells, and its text when it is a document.</summary>
public sealed record ParsedAttachment(MimePart Part, string? OriginalName, AttachmentName Name, string ContentType)
{
    public string? Text { get; init; }

    /// <summary>Read as a returned form that does not count for the matched notice (another notice's, or blank): see <see cref="FormsForNotice"/>.</summary>
    public bool SetAsideForm { get; init; }
}
