using MailIntake.Storage;
using MailIntake.Worker.Options;

namespace MailIntake.Worker.Application;

/// <summary>
/// How often the mail server dropped the intake's connection in the last 24 hours: the last hour, the whole day, the
/// worst hour of it, and the last drop. More than <see cref="WarnAbovePerHour"/> in an hour is a reconnect storm.
/// </summary>
public sealed record ConnectionDropsView(
    int LastHour, int Last24Hours, int PeakPerHour, DateTimeOffset? LastAt, string? LastError, int WarnAbovePerHour)
{
    public bool IsStorm => PeakPerHour > WarnAbovePerHour;
}

/// <summary>Builds <see cref="ConnectionDropsView"/> for <c>status</c> and the digest, at the clock's now.</summary>
public sealed class ConnectionDropsQuery(ConnectionDropRepository drops, MailIntakeOptions options, TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromDays(1);

    public ConnectionDropsView Intake()
    {
        var now = time.GetUtcNow();
        var day = drops.ListSince(HealthRepository.Intake, now - Window);
        var last = day.Count > 0 ? day[^1] : null;
        return new ConnectionDropsView(
            day.Count(drop => drop.At >= now.AddHours(-1)),
            day.Count,
            PeakPerHour(day.Select(drop => drop.At).ToList()),
            last?.At,
            last?.Error,
            options.Mailbox.DropWarningPerHour);
    }

    /// <summary>The most instants within any one hour (a sliding hour, not clock hours); <paramref name="sorted"/> is oldest first.</summary>
    public static int PeakPerHour(IReadOnlyList<DateTimeOffset> sorted)
    {
        var peak = 0;
        var start = 0;
        for (var end = 0; end < sorted.Count; end++)
        {
            while (sorted[end] - sorted[start] >= TimeSpan.FromHours(1))
            {
                start++;
            }

            peak = Math.Max(peak, end - start + 1);
        }

        return peak;
    }
}
