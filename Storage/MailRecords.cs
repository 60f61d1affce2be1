using MailIntake.Parsing;

namespace MailIntake.Storage;

/// <summary>A mailbox's progress: advanced in the same transaction that records the message at <see cref="LastUid"/>.</summary>
public sealed record MailboxCheckpoint(string Mailbox, long UidValidity, long LastUid);

/// <summary>A mailbox read again from its first UID (see <see cref="CheckpointRepository.Rescan"/>).</summary>
public sealed record MailboxRescan(string Mailbox, DateTimeOffset At, string Reason);

/// <summary>A mail left on the server for now: larger (<paramref name="Size"/> bytes) than the free space then.</summary>
public sealed record MailboxSkip(string Mailbox, long UidValidity, long Uid, long Size, string? Sender, long FreeBytes, DateTimeOffset At);

public sealed record ReceivedMail(string? MessageId, StoredFile Raw, string Source, DateTimeOffset ReceivedAt)
{
    /// <summary>SHA-256 of the body after the header block (MailIntake.Parsing.RawMailBody): what two deliveries of one message share.</summary>
    public string? BodySha256 { get; init; }

    /// <summary>SHA-256 of the author headers and the body (MailIntake.Parsing.RawMailBody): what decides that two deliveries are one message.</summary>
    public string? MessageSha256 { get; init; }

    /// <summary>A time the mail carried that could not be taken as its arrival (see <see cref="MailSummary.CarriedArrival"/>); null when none.</summary>
    public DateTimeOffset? CarriedArrival { get; init; }
}

public static class MailFlag
{
    /// <summary>Another, different message was recorded before with the same Message-ID.</summary>
    public const string MessageIdReused = "message-id-reused";
}

public sealed record RecordResult(long MailId, bool IsNew)
{
    /// <summary>
    /// A damaged mail (its raw file missing or altered) was made whole by this delivery: the same raw bytes, or a copy
    /// of the same message under other transport headers, which is then its raw file.
    /// </summary>
    public bool Healed { get; init; }

    /// <summary>The healed mail waits to be processed (it never was before its raw file went bad).</summary>
    public bool ToProcess { get; init; }

    /// <summary>The raw file the healed mail recorded before, when its copy replaced it (an altered file to remove).</summary>
    public string? ReplacedRawPath { get; init; }
}

public sealed record MailSummary(
    long MailId,
    string? MessageId,
    MailKind Kind,
    string? From,
    string? Subject,
    DateTimeOffset ReceivedAt,
    string? NoticeRef,
    string? Reason,
    string RawPath,
    MailDismissal? Dismissal = null)
{
    /// <summary>The raw file as recorded: its path, SHA-256 and size.</summary>
    public StoredFile Raw { get; init; } = new(RawPath, string.Empty, 0);

    /// <summary>Flags such as <see cref="MailFlag.MessageIdReused"/>.</summary>
    public IReadOnlyList<string> Flags { get; init; } = [];

    /// <summary>
    /// A time the mail carried that was not taken as its arrival — before the notice it is filed under (intake dated it
    /// by its filing), or a <c>processed/</c> file's time before what a restored store could lack (dated by the re-read)
    /// — so <see cref="ReceivedAt"/> is the later, sure time; null when the mail was never re-dated.
    /// </summary>
    public DateTimeOffset? CarriedArrival { get; init; }

    /// <summary>When the notice the mail is tied to (<see cref="NoticeRef"/>) was issued; null when it is tied to none.</summary>
    public DateTimeOffset? NoticeIssuedAt { get; init; }

    /// <summary>
    /// Nothing left for staff to do: filed (as a reply, assigned included, or as an auto-reply, bounce or staff action),
    /// or dismissed. A mail still to be processed, failing or damaged is not settled: staff have yet to see it through.
    /// </summary>
    public bool Settled => Dismissal is not null
        || Kind is not (MailKind.Unmatched or MailKind.Ambiguous or MailKind.Suspicious or MailKind.Received or MailKind.Failed or MailKind.Damaged);
}

/// <summary>Staff decided a mail needs no notice (spam, misdirected).</summary>
public sealed record MailDismissal(string By, DateTimeOffset At, string Reason);

/// <summary>What processing decided about a mail that is not filed as a reply.</summary>
public sealed record MailOutcome(MailKind Kind, string? From, string? Subject, long? NoticeId, string? Reason);

public sealed record EvidenceFile(string FileName, string? OriginalName, StoredFile Stored, int? Item, IReadOnlyList<string> Flags, string? ContentType);

public sealed record ReplyFiling(
    long MailId,
    long NoticeId,
    MatchMethod MatchedBy,
    string? From,
    string? Subject,
    string? FillerName,
    string? FillerPhone,
    string? FillerEmail,
    DateOnly? CompletedOn,
    IReadOnlyList<MailIntake.Parsing.ItemAnswer>? Answers = null,
    bool FormReturned = false,
    string? CompletedOnUnreadable = null);

/// <summary>How (<see cref="MatchedBy"/>) and when a mail was filed as a reply.</summary>
public sealed record ReplyFiled(MatchMethod MatchedBy, DateTimeOffset FiledAt);

public sealed record Reply(
    long MailId,
    long NoticeId,
    string? MessageId,
    string? From,
    DateTimeOffset ReceivedAt,
    MatchMethod MatchedBy,
    string? FillerName,
    string? FillerPhone,
    string? FillerEmail,
    DateOnly? CompletedOn,
    IReadOnlyList<StoredEvidence> Evidence,
    IReadOnlyList<MailIntake.Parsing.ItemAnswer> Answers,
    bool FormReturned = false)
{
    /// <summary>A completion date written that reads as no date (115年13月1日), as written; null when none or readable.</summary>
    public string? CompletedOnUnreadable { get; init; }

    /// <summary>
    /// When it was filed under its notice: later than <see cref="ReceivedAt"/> when it was fetched late (the worker was
    /// down) or assigned by staff. What is new to staff goes by this; whether the deadline was met, by the arrival.
    /// </summary>
    public DateTimeOffset FiledAt { get; init; }

    /// <summary>The arrival the mail carried before it was dated by its filing (see <see cref="MailSummary.CarriedArrival"/>); null when never re-dated.</summary>
    public DateTimeOffset? CarriedArrival { get; init; }
}

public sealed record StoredEvidence(long MailId, string FileName, string Sha256, long Size, int? Item, IReadOnlyList<string> Flags, string StoredPath)
{
    /// <summary>The evidence file that keeps it, or null when none was kept (an oversize attachment is flagged not-stored).</summary>
    public string? KeptPath => Flags.Contains("not-stored") ? null : StoredPath;
}
