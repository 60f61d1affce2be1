using MailIntake.Storage;

namespace MailIntake.Worker.Application;

/// <summary>
/// A reply waiting for its phone call: the filler to ask for (from the latest reply that named one), the calls tried so
/// far, and the extensions the organisation was never told of (null when none), whose deadline is not the one to give it.
/// </summary>
public sealed record PhoneDuty(Notice Notice, Reply Reply, Reply? Filler, string? RegisteredPhone, IReadOnlyList<PhoneConfirmation> Attempts, Jobs.UntoldExtension? Untold);

/// <summary>Everything the daily digest shows, built once by <see cref="DigestQuery"/>; the digest's text renders it.</summary>
public sealed record DigestView(
    DateOnly Day,
    DateTimeOffset Since,
    IReadOnlyList<Notice> Open,
    IReadOnlyList<(Notice Notice, Reply Reply, IReadOnlyList<string> Missing, string? DateDoubt, DateTimeOffset? ClosedAt, bool BeforeSuspensionTold)> NewReplies,
    IReadOnlyList<PhoneDuty> AwaitingPhone,
    IReadOnlyList<Notice> DueSoon,
    IReadOnlyList<Notice> Overdue,
    IReadOnlyList<(Notice Notice, int Rounds)> FollowUpsDue,
    IReadOnlyList<MailSummary> MailsToSettle,
    IReadOnlyList<(OutboundMail Mail, string? Reference)> SendProblems,
    HealthView Health,
    ILookup<long, Reply> RepliesByNotice,
    IReadOnlyList<MailSummary> UntiedBounces,
    IReadOnlyList<MailSummary> FailedMails,
    IReadOnlyList<Notice>? Unreachable = null)
{
    /// <summary>For each <see cref="Overdue"/> notice, the mails held for staff that name it (<see cref="WaitingMail.HeldNaming(MailRepository, Notice, Options.MailIntakeOptions)"/>).</summary>
    public IReadOnlyDictionary<long, IReadOnlyList<MailSummary>> HeldNaming { get; init; } = new Dictionary<long, IReadOnlyList<MailSummary>>();

    /// <summary>
    /// Staff members would get action buttons, but the action link key file cannot be used: the digest goes without them
    /// and says why (h15h K5).
    /// </summary>
    public bool ActionKeyUnusable { get; init; }

    /// <summary>Open notices whose organisation has no registered address now: nothing we mail it can go.</summary>
    public IReadOnlyList<Notice> NoAddress => Unreachable ?? [];

    /// <summary>
    /// For each open notice an extension of which never reached the organisation (its mail queued, failed, withdrawn or
    /// bounced): the deadline it was told and those extensions named (<see cref="Jobs.OverdueNote.UntoldExtensions"/>).
    /// </summary>
    public IReadOnlyDictionary<long, Jobs.UntoldExtension> Untold { get; init; } = new Dictionary<long, Jobs.UntoldExtension>();

    /// <summary>
    /// The open notices past the deadline the organisation was told (<see cref="Jobs.OverdueNote.Passed"/>, the overdue
    /// sweep's rule); null: judged by the current deadline (a view built without the rounds and mails).
    /// </summary>
    public IReadOnlySet<long>? PassedIds { get; init; }

    /// <summary>Whether <paramref name="notice"/> is past the deadline the organisation was told.</summary>
    public bool Passed(Notice notice) => PassedIds?.Contains(notice.Id) ?? notice.Deadline < Day;

    /// <summary>The deadline the organisation works to: the current one, or the earlier one told while an extension never reached it.</summary>
    public DateOnly ToldDeadline(Notice notice) => Untold.TryGetValue(notice.Id, out var untold) ? untold.Told : notice.Deadline;

    /// <summary>Open notices past the deadline told, replied or not (<see cref="Overdue"/> holds those with no reply at all).</summary>
    public int PastDeadline => Open.Count(Passed);
}
