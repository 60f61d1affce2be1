namespace MailIntake.Storage;

// The notice's vocabulary as code. Storage records carry these enums; their stored (and JSON) text lives only in
// StoredCodes, their zh-TW words only in the Worker's text classes. Adding a member means adding its text there.

/// <summary>Where a notice stands. Transitions are decided by the Worker's NoticeStateMachine.</summary>
public enum NoticeStatus
{
    Issued,
    Replied,
    Confirmed,
    Extended,
    Completed,
    Suspended,
}

/// <summary>The result of one round of the tracking evaluation form (追蹤評估表).</summary>
public enum RoundResult
{
    Completed,
    Extended,
    Suspended,
    Other,
}

/// <summary>The result of a phone call about an email reply: only <see cref="Reached"/> confirms it.</summary>
public enum PhoneResult
{
    Reached,
    NoAnswer,
    WrongNumber,
}

/// <summary>What a received mail turned out to be.</summary>
public enum MailKind
{
    /// <summary>Recorded, not yet classified: a crash between recording and processing leaves this, and the next pass resumes it.</summary>
    Received,
    Reply,
    AutoReply,
    Bounce,
    Unmatched,
    Ambiguous,
    Suspicious,

    /// <summary>A staff member's command sent from an action link (carried out, already done, or refused with the reason).</summary>
    StaffAction,

    /// <summary>Processing failed for a passing reason several times; still retried, and shown to staff.</summary>
    Failed,
    /// <summary>The raw file is missing or altered: set aside with the reason, not processed.</summary>
    Damaged,
}

/// <summary>The kinds of mail the center sends.</summary>
public enum OutboundKind
{
    Notice,
    Receipt,
    Reminder,
    Overdue,
    PhonePrompt,
    Digest,
    Suspension,
    ArchivesReport,
    Extension,

    /// <summary>The answer to a staff member's action mail: done, already done, or refused.</summary>
    ActionAnswer,

    /// <summary>A note to staff about a mail to settle, the original attached.</summary>
    MailNote,

    /// <summary>To staff at once: a suspension notice bounced for every address (the organisation was not told).</summary>
    BounceNote,
}

public enum OutboundStatus
{
    Queued,
    Sent,
    Failed,
    Bounced,

    /// <summary>Never sent: by the time it could go, its notice had changed so that it had nothing true to say.</summary>
    Withdrawn,
}

/// <summary>Everything that can happen to a notice, as its timeline records it.</summary>
public enum TimelineEvent
{
    Issued,
    Queued,
    Sent,
    SendFailed,
    ReplyFiled,
    Assigned,
    Bounced,
    Receipt,
    ReceiptSuppressed,
    Reminder,
    Overdue,
    PhonePrompt,
    Confirmed,
    PhoneAttempt,
    FollowUp,
    Extended,
    Suspended,
    Reported,

    /// <summary>A staff member acted by mail (an action link): who, what, which mail.</summary>
    ViaMail,

    /// <summary>A queued mail withdrawn before it was sent: its notice changed meanwhile (why).</summary>
    Withdrawn,

    /// <summary>A queued mail written again before it was sent, from its notice's state then.</summary>
    Rewritten,
}

/// <summary>What <c>store verify</c> can find wrong in a DataDirectory.</summary>
public enum StoreProblemKind
{
    RawMissing,
    RawDamaged,
    RawOrphaned,
    EvidenceMissing,
    EvidenceDamaged,
    EvidenceOrphaned,
    OutboundMissing,
    /// <summary>A queued mail's message file that no longer holds what was written (cut short, changed, a link).</summary>
    OutboundDamaged,
    /// <summary>An outbox message file no outbound row names (the use case that wrote it rolled back or was never redone).</summary>
    OutboundOrphaned,
    Leftover,
    Database,
    /// <summary>A link, a folder or a file with a name the store never writes, where the store keeps its files: reported, never touched.</summary>
    Foreign,
    /// <summary>A file the store records or keeps that cannot be read (permissions, a failing disk).</summary>
    Unreadable,
    /// <summary>The database (or its <c>-wal</c>, <c>-shm</c>, folder) may be read but not written by the user who runs: a chown, not a restore.</summary>
    Unwritable,
    /// <summary>The action-link key file cannot be used (damaged, a folder, unreadable): staff links cannot be signed or checked.</summary>
    ActionKey,
}

public static class NoticeStatusExtensions
{
    /// <summary>A closed notice (completed or suspended) takes no more replies by code or sender and no more rounds.</summary>
    public static bool IsOpen(this NoticeStatus status) => status is not (NoticeStatus.Completed or NoticeStatus.Suspended);
}
