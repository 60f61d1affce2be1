using MailIntake.Storage;
using MailIntake.Worker.Application;

namespace MailIntake.Worker.Jobs;

/// <summary>Everything the daily digest shows, gathered once; <see cref="DigestText"/> renders it.</summary>
public sealed record DigestContent(
    DateOnly Day,
    DateTimeOffset Since,
    IReadOnlyList<Notice> Open,
    IReadOnlyList<(Notice Notice, Reply Reply, IReadOnlyList<string> Missing)> NewReplies,
    IReadOnlyList<(Notice Notice, Reply Reply, string? RegisteredPhone)> AwaitingPhone,
    IReadOnlyList<Notice> DueSoon,
    IReadOnlyList<Notice> Overdue,
    IReadOnlyList<(Notice Notice, int Rounds)> FollowUpsDue,
    IReadOnlyList<MailSummary> MailsToSettle,
    IReadOnlyList<(OutboundMail Mail, string? Reference)> SendProblems,
    IReadOnlyList<string> Health,
    ConnectionDropsView Drops);
