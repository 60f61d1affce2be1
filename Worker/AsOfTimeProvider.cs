namespace MailIntake.Worker;

/// <summary>
/// The clock of <c>jobs run NAME --as-of DATETIME</c>: it reads DATETIME when the command starts and moves on
/// from there in real time, so a job runs through its normal code path as if it were that moment.
/// </summary>
public sealed class AsOfTimeProvider(DateTimeOffset asOf, TimeProvider real) : TimeProvider
{
    private readonly long _started = real.GetTimestamp();

    public override DateTimeOffset GetUtcNow() => asOf.ToUniversalTime() + real.GetElapsedTime(_started);

    public override TimeZoneInfo LocalTimeZone => real.LocalTimeZone;
}
