namespace MailIntake.Worker.Application;

/// <summary>Why a use case refused. The CLI maps each code to an exit code and one zh-TW line; a mail action to a refusal mail.</summary>
public enum NoticeRuleCode
{
    // The request itself is wrong (the CLI's exit 2).
    /// <summary>A notice reference that is not one whole reference (TN-115-0001): text around it, two of them, a typo.</summary>
    ReferenceInvalid,
    TrackerRequired,
    /// <summary>A name (tracker, confirmer) that is not one short line: control characters, line breaks, too long.</summary>
    TrackerInvalid,
    InvalidHostIp,
    InvalidMaliciousIp,
    MaliciousIpIsHostIp,
    TooManyMaliciousIps,
    IncidentPeriodReversed,
    IncidentInFuture,
    IncidentTooOld,
    /// <summary>Improvement items with control characters, too many or too long.</summary>
    ItemsInvalid,
    /// <summary>A deadline that is today or earlier: an organisation must get at least a day.</summary>
    DeadlineNotAfterToday,
    DeadlineTooFar,
    AtBeforeNotice,
    AtInFuture,
    /// <summary>A round dated before the previous round (<c>Value</c>): the form's rounds follow each other.</summary>
    AtBeforePreviousRound,
    /// <summary>A call dated before the email reply it would be about had arrived.</summary>
    AtBeforeReply,
    UntilRequired,
    UntilNotAfterDeadline,
    /// <summary>A new deadline that is today or earlier: the organisation must get at least a day.</summary>
    UntilNotAfterToday,
    UntilTooFar,
    UntilNotTaken,
    SuspendFromRequired,
    SuspendFromNotTaken,
    SuspendFromInPast,
    SuspendFromTooFar,
    /// <summary>A suspension dated (<c>--at</c>) on an earlier day than today: the organisation and the Archives are told when it is recorded.</summary>
    SuspensionBackDated,
    NoteRequired,
    /// <summary>A note that is not one line of at most <see cref="RequestChecks.MaxNoteLength"/> characters.</summary>
    NoteInvalid,
    ReasonRequired,
    ReasonInvalid,

    // The request does not fit what is stored (the CLI's exit 1).
    OrganisationNotFound,
    OrganisationHasNoEmail,
    /// <summary>
    /// A notice for an incident that already has an open notice (<c>Subject</c>): same organisation, computer, malicious
    /// addresses and period — a command run twice. Issued anyway only when asked again on purpose.
    /// </summary>
    SameIncidentOpen,

    /// <summary>
    /// A notice issued on a store restored from a backup before its drop folder's <c>processed/</c> mails were read again:
    /// the references notices issued since the backup took are not known yet (h31h Q1). <c>Subject</c>: that folder.
    /// </summary>
    RereadPendingAfterRestore,
    /// <summary>
    /// A follow-up round while the drop folder's <c>processed/</c> holds mail the store has not read (a restore not read
    /// again, a copy that took the folder): a reply may be among it. <c>Value</c>: that folder.
    /// </summary>
    FollowUpRereadPending,
    NoticeNotFound,
    MailNotFound,
    NoticeClosed,
    NoMoreRounds,
    RoundThreeOnlyCompletedOrSuspended,
    NoReplyToConfirm,
    /// <summary>A call said to be about a mail (<c>Subject</c>) that is no email reply filed under the notice (<c>Value</c>).</summary>
    MailNotReplyOfNotice,
    /// <summary>A suspension of a notice whose mail is still waiting to be sent (or failed): the organisation was never told of the notice.</summary>
    NoticeNotYetSent,
    /// <summary>A suspension of a notice whose mail bounced for every address (and no reply came): the organisation was never told of the notice.</summary>
    NoticeBounced,
    /// <summary>An extension of a notice whose mail bounced for every address (and no reply came): the extension mail would go to the same dead addresses.</summary>
    ExtensionOfBouncedNotice,
    /// <summary>
    /// A suspension for an organisation (<c>Subject</c>, the notice <c>Value</c>) with no registered address now: its
    /// suspension notice could be mailed to nobody, and the Archives report would say it was told.
    /// </summary>
    SuspensionUnmailable,
    /// <summary>
    /// An extension for an organisation (<c>Subject</c>, the notice <c>Value</c>) with no registered address now: the
    /// organisation would never be told its new deadline, while the tracking form says it was given one.
    /// </summary>
    ExtensionUnmailable,
    /// <summary>An extension of a notice whose mail is still waiting to be sent (or failed): the extension mail would say the organisation was told of the notice.</summary>
    ExtensionOfUnsentNotice,
    /// <summary>
    /// An 「其他」 round on a notice whose mail is still waiting to be sent (or failed): a round of the tracking form spent on
    /// a notice the organisation never saw. (A completion is taken: the case closes and the waiting notice mail is withdrawn.)
    /// </summary>
    RoundOfUnsentNotice,
    /// <summary>
    /// A suspension while Archives:ReportRecipients is empty: the Archives must be told with it, and no address is assumed
    /// (the shipped settings name none, so a rehearsal never reports a test case to a national agency).
    /// </summary>
    ArchivesRecipientsUnset,
    /// <summary>
    /// A suspension while mail held for staff (<c>Value</c>: which, from whom, when) names the notice, not yet assigned or
    /// dismissed: it may be the organisation's reply. Recorded anyway only when asked on purpose.
    /// </summary>
    SuspensionWhileMailHeld,
    /// <summary>
    /// A suspension while a mail from the organisation or naming the notice (<c>Value</c>: which, from whom, when) is not
    /// yet filed because its processing keeps failing on the center's side: it may be the reply. Recorded anyway only when
    /// asked on purpose.
    /// </summary>
    SuspensionWhileMailFailing,
    /// <summary>
    /// A suspension while the center's own extension mail (<c>Value</c>: which round, to when) is still queued: the
    /// organisation has not been told of it. Recorded anyway only when asked on purpose.
    /// </summary>
    SuspensionWhileExtensionQueued,
    /// <summary>
    /// Completion while a mail from the organisation or naming the notice (<c>Value</c>) is not filed because its processing
    /// fails on the center's side: the reply (and its phone duty) would find the case closed.
    /// </summary>
    CompletionWhileMailFailing,
    /// <summary>Completion while an email reply (<c>Value</c>) awaits its phone confirmation: the call must be recorded first.</summary>
    CompletionAwaitsPhone,
    /// <summary>The mail is not waiting for staff (filed, an auto-reply…); <c>Value</c> says what became of it (SettledMailText).</summary>
    MailNotSettleable,
    /// <summary>The mail was dismissed already; <c>Value</c> says by whom, when and why (SettledMailText).</summary>
    MailAlreadySettled,
    /// <summary>The mail came from the center's own address: never an organisation's reply.</summary>
    MailFromCenter,
    /// <summary>The mail is a staff member's own, carrying no organisation's message or file: never a reply.</summary>
    MailFromMemberOnly,
    /// <summary>The kept raw mail cannot be read as a message (it is recorded and kept, but cannot be filed).</summary>
    MailUnreadable,
    /// <summary>
    /// The kept raw mail is a drop-folder file read again after a restore that stops before its MIME ends (cut short on
    /// disk): what is left is no proof of what was sent, so it is never filed (a receipt would tell the organisation its
    /// files were not attached). <c>Value</c>: the sender its headers name, or null.
    /// </summary>
    MailUnfinished,

    /// <summary>The mail carries a staff action token: it is a staff command, never an organisation's reply.</summary>
    MailCarriesAction,

    /// <summary>
    /// The same round as the last one (<c>Value</c>: its number) again the same day — same result, dates, tracker and note:
    /// a command run twice. Recorded anyway only when the round is named on purpose.
    /// </summary>
    RoundRepeated,

    /// <summary>A follow-up link made for round <c>Value</c>: that round is already recorded (the state it was made for has passed).</summary>
    StaleRound,

    /// <summary>
    /// A round without a time given (dated by the moment the request began) that another round (<c>Value</c>, named in
    /// words), recorded meanwhile and dated later, now precedes: the request was made without seeing it.
    /// </summary>
    RoundRecordedMeanwhile,

    /// <summary>A phone link made for one reply: a later reply (<c>Value</c>) came meanwhile and was not seen by the caller.</summary>
    StalePhonePrompt,

    /// <summary>Another change to the same notice or mail came first; nothing was written.</summary>
    ChangedMeanwhile,
}

/// <summary>
/// A rule of the notice's life refused a request; nothing was written. <see cref="Subject"/> names what it is about
/// (a reference, a mail id, an address); <see cref="Value"/> carries the value that broke the rule, when there is one.
/// </summary>
public sealed class NoticeRuleException(NoticeRuleCode code, string? subject = null, string? value = null)
    : Exception($"{code}: {subject} {value}".Trim())
{
    public NoticeRuleCode Code { get; } = code;

    public string? Subject { get; } = subject;

    public string? Value { get; } = value;

    /// <summary>True when the request itself was malformed (as opposed to not fitting the stored state).</summary>
    public bool IsBadRequest => Code < NoticeRuleCode.OrganisationNotFound;
}
