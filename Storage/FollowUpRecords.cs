namespace MailIntake.Storage;

public sealed record PhoneConfirmation(long MailId, string By, DateTimeOffset At, string? Note);

public sealed record FollowUp(int Round, string Result, DateOnly? Until, DateOnly? SuspendFrom, string By, DateTimeOffset At, string? Note);

public static class FollowUpResult
{
    public const string Completed = "completed";
    public const string Extended = "extended";
    public const string Suspended = "suspended";
    public const string Other = "other";
}
