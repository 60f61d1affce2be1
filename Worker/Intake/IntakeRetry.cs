namespace MailIntake.Worker.Intake;

/// <summary>
/// When a mail whose processing failed for a passing reason is tried again: 1, 2, 4 … minutes after each failure, at
/// most an hour apart, forever; from the fifth failure on it is shown to staff as <c>failed</c> (mail list, status,
/// digest). <c>run --once</c> retries every such mail at once, whatever its backoff.
/// </summary>
public static class IntakeRetry
{
    public const int FailedAfter = 5;

    private static readonly TimeSpan First = TimeSpan.FromMinutes(1);
    /// <summary>The longest wait: a retry stored further ahead was set by a clock that was ahead, and is due now.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromHours(1);

    public static TimeSpan Backoff(int attempts) =>
        attempts >= 7 ? Longest : TimeSpan.FromTicks(Math.Min(Longest.Ticks, First.Ticks << Math.Max(0, attempts - 1)));
}
