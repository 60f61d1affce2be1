namespace MailIntake.Storage;

/// <summary>A phone call about an email reply (<see cref="MailId"/>); only <see cref="PhoneResult.Reached"/> confirms it.</summary>
public sealed record PhoneConfirmation(long MailId, string By, DateTimeOffset At, string? Note, PhoneResult Result = PhoneResult.Reached);

public sealed record FollowUp(int Round, RoundResult Result, DateOnly? Until, DateOnly? SuspendFrom, string By, DateTimeOffset At, string? Note);
