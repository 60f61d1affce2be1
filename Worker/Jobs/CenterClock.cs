using MailIntake.Worker.Options;

namespace MailIntake.Worker.Jobs;

/// <summary>The current moment as the center reads it: in its time zone (Asia/Taipei), with its working days.</summary>
public sealed class CenterClock(TimeProvider time, MailIntakeOptions options, WorkingCalendar calendar)
{
    public DateTimeOffset UtcNow => time.GetUtcNow();

    public DateTimeOffset LocalNow => TimeZoneInfo.ConvertTime(time.GetUtcNow(), options.Zone);

    public DateOnly Today => DateOnly.FromDateTime(LocalNow.DateTime);

    public TimeOnly TimeOfDay => TimeOnly.FromDateTime(LocalNow.DateTime);

    public WorkingCalendar Calendar => calendar;

    public TimeZoneInfo Zone => options.Zone;

    public DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, options.Zone).DateTime);

    /// <summary>The instant of <paramref name="time"/> on <paramref name="day"/> in the center's time zone.</summary>
    public DateTimeOffset Instant(DateOnly day, TimeOnly time)
    {
        var local = day.ToDateTime(time);
        return new DateTimeOffset(local, options.Zone.GetUtcOffset(local));
    }

    /// <summary>True once the local clock has reached <paramref name="time"/> on <paramref name="day"/> (or any later day).</summary>
    public bool HasReached(DateOnly day, TimeOnly time) => Today > day || (Today == day && TimeOfDay >= time);
}
