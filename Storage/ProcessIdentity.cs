using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace MailIntake.Storage;

/// <summary>
/// A process as "PID:START-TICKS" (its start, UTC ticks): a PID reused by a later process is another identity. Used to
/// tell whether the sender holding an outbound claim still runs.
/// </summary>
public static class ProcessIdentity
{
    /// <summary>Two reads of one process's start may differ by the kernel clock's rounding; a reused PID starts later.</summary>
    private static readonly TimeSpan StartTolerance = TimeSpan.FromSeconds(1);

    /// <summary>This process.</summary>
    public static string Current { get; } = Of(Environment.ProcessId) ?? $"{Environment.ProcessId}:0";

    /// <summary>The identity of the running process <paramref name="pid"/>, or null when none runs (or it cannot be read).</summary>
    public static string? Of(int pid) =>
        StartOf(pid) is { } start ? $"{pid.ToString(CultureInfo.InvariantCulture)}:{start.Ticks.ToString(CultureInfo.InvariantCulture)}" : null;

    /// <summary>
    /// Whether the process <paramref name="identity"/> names still runs: its PID is alive and started when recorded. An
    /// identity that does not parse is taken as running (a claim it holds then waits out its lease, as before).
    /// </summary>
    public static bool IsRunning(string identity)
    {
        var parts = identity.Split(':');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
        {
            return true;
        }

        return StartOf(pid) is { } start && (start - new DateTime(ticks, DateTimeKind.Utc)).Duration() < StartTolerance;
    }

    /// <summary>When the running process <paramref name="pid"/> started (UTC), or null when none runs (or it cannot be read).</summary>
    public static DateTime? StartOf(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.StartTime.ToUniversalTime();
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // No such process, or it ended while read.
            return null;
        }
    }
}
