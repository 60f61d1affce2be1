namespace MailIntake.Storage;

public static class MailKind
{
    /// <summary>Recorded, not yet classified: a crash between recording and processing leaves this, and the next pass resumes it.</summary>
    public const string Received = "received";
    public const string Reply = "reply";
    public const string AutoReply = "auto-reply";
    public const string Bounce = "bounce";
    public const string Unmatched = "unmatched";
    public const string Ambiguous = "ambiguous";
    public const string Suspicious = "suspicious";
}

/// <summary>A mailbox's progress: advanced in the same transaction that records the message at <see cref="LastUid"/>.</summary>
public sealed record MailboxCheckpoint(string Mailbox, long UidValidity, long LastUid);

public sealed record ReceivedMail(string? MessageId, StoredFile Raw, string Source, DateTimeOffset ReceivedAt);

public sealed record RecordResult(long MailId, bool IsNew);

public sealed record MailSummary(
    long MailId,
    string? MessageId,
    string Kind,
    string? From,
    string? Subject,
    DateTimeOffset ReceivedAt,
    string? NoticeRef,
    string? Reason,
    string RawPath);

/// <summary>What processing decided about a mail that is not filed as a reply.</summary>
public sealed record MailOutcome(string Kind, string? From, string? Subject, long? NoticeId, string? Reason);

public sealed record EvidenceFile(string FileName, string? OriginalName, StoredFile Stored, int? Item, IReadOnlyList<string> Flags, string? ContentType);

public sealed record ReplyFiling(
    long MailId,
    long NoticeId,
    string MatchedBy,
    string? From,
    string? Subject,
    string? FillerName,
    string? FillerPhone,
    string? FillerEmail,
    DateOnly? CompletedOn,
    IReadOnlyList<MailIntake.Parsing.ItemAnswer>? Answers = null);

public sealed record Reply(
    long MailId,
    long NoticeId,
    string? MessageId,
    string? From,
    DateTimeOffset ReceivedAt,
    string MatchedBy,
    string? FillerName,
    string? FillerPhone,
    string? FillerEmail,
    DateOnly? CompletedOn,
    IReadOnlyList<StoredEvidence> Evidence,
    IReadOnlyList<MailIntake.Parsing.ItemAnswer> Answers);

public sealed record StoredEvidence(long MailId, string FileName, string Sha256, long Size, int? Item, IReadOnlyList<string> Flags, string StoredPath);
