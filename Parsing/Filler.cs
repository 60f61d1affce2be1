namespace MailIntake.Parsing;

/// <summary>The organisation's person who filled in the notice (填寫人); any field may be missing.</summary>
public sealed record Filler(string? Name, string? Phone, string? Email);
