namespace MailIntake.EndToEnd.Tests.Harness;

/// <summary>
/// The one timeline every program run in this test assembly lives on: it started at <see cref="Anchor"/> when the
/// assembly loaded and moves on in real time (each run gets <c>MailIntake__Clock__Offset</c>). Tests write their
/// dates (deadlines, <c>--as-of</c>, <c>--at</c>) against <see cref="Now"/>, so they mean the same on any real day.
/// </summary>
public static class TestClock
{
    /// <summary>A Tuesday morning in Tainan, a working day: 中華民國115年12月1日 10:00.</summary>
    public static readonly DateTimeOffset Anchor = new(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(8));

    private static readonly TimeSpan Shift = Anchor - DateTimeOffset.UtcNow;

    /// <summary>The value of <c>MailIntake__Clock__Offset</c> every program run gets.</summary>
    public static string Offset => Shift.ToString("c", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Now on the programs' timeline.</summary>
    public static DateTimeOffset Now => DateTimeOffset.UtcNow + Shift;

    /// <summary>Today in Tainan on the programs' timeline.</summary>
    public static DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(Now, TimeZoneInfo.FindSystemTimeZoneById("Asia/Taipei")).DateTime);
}
