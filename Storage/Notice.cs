namespace MailIntake.Storage;

public sealed record Notice(
    long Id,
    string Reference,
    string OrgCode,
    string OrgName,
    string Status,
    string HostIp,
    IReadOnlyList<string> MaliciousIps,
    DateOnly IncidentFrom,
    DateOnly IncidentTo,
    DateOnly Deadline,
    IReadOnlyList<string> Items,
    DateTimeOffset IssuedAt);

public sealed record NewNotice(
    string OrgCode,
    string HostIp,
    IReadOnlyList<string> MaliciousIps,
    DateOnly IncidentFrom,
    DateOnly IncidentTo,
    DateOnly Deadline,
    IReadOnlyList<string> Items);

public static class NoticeStatus
{
    public const string Issued = "issued";
    public const string Replied = "replied";
    public const string Confirmed = "confirmed";
    public const string Extended = "extended";
    public const string Completed = "completed";
    public const string Suspended = "suspended";

    /// <summary>A closed notice takes no more replies by code or sender.</summary>
    public static bool IsOpen(string status) => status is not (Completed or Suspended);
}
