namespace MailIntake.Storage;

/// <summary>
/// A notice as stored. <see cref="DeadlineIssued"/> is the deadline the notice was sent with and never changes;
/// <see cref="Deadline"/> is the current one (an extension moves it; the extension itself is a follow-up round).
/// </summary>
public sealed record Notice(
    long Id,
    string Reference,
    string OrgCode,
    string OrgName,
    NoticeStatus Status,
    string HostIp,
    IReadOnlyList<string> MaliciousIps,
    DateOnly IncidentFrom,
    DateOnly IncidentTo,
    DateOnly Deadline,
    DateOnly DeadlineIssued,
    IReadOnlyList<string> Items,
    DateTimeOffset IssuedAt,
    bool CustomItems = false);

public sealed record NewNotice(
    string OrgCode,
    string HostIp,
    IReadOnlyList<string> MaliciousIps,
    DateOnly IncidentFrom,
    DateOnly IncidentTo,
    DateOnly Deadline,
    IReadOnlyList<string> Items,
    bool CustomItems = false);
