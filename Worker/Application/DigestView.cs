using MailIntake.Storage;

namespace MailIntake.Worker.Application;

/// <summary>A reply waiting for its phone call: the filler to ask for (from the latest reply that named one) and the calls tried so far.</summary>
public sealed record PhoneDuty(Notice Notice, Reply Reply, Reply? Filler, string? RegisteredPhone, IReadOnlyList<PhoneConfirmation> Attempts);

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

    /// <summary>Open notices whose organisation has no registered address now: nothing we mail it can go.</summary>
    public IReadOnlyList<Notice> NoAddress => Unreachable ?? [];

    /// <summary>Open notices past their current deadline, replied or not (<see cref="Overdue"/> holds those with no reply at all).</summary>
    public int PastDeadline => Open.Count(notice => notice.Deadline < Day);
}
