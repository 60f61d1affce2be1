namespace MailIntake.Storage;

public sealed record Organisation(string Code, string Name, IReadOnlyList<string> Emails, string? Phone, string? Contact);
