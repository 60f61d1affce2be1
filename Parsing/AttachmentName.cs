namespace MailIntake.Parsing;

/// <summary>
/// An attachment's name made safe to show and store, the 附件 item it claims to be, and what
/// was suspicious about the original name (lower-case kebab flags such as "rtl-override").
/// </summary>
public sealed record AttachmentName(string FileName, int? Item, IReadOnlyList<string> Flags);
