using System.Globalization;

namespace MailIntake.Parsing.Tests.Fuzz;

/// <summary>
/// The CPU time one thread has used, read from Linux's /proc. A bound on it holds however loaded the machine is:
/// CI runs the test assemblies side by side on two cores, where a wall-clock bound on parsing work fails at random.
/// </summary>
internal sealed record ThreadCpuTime(int ThreadId)
{
    // /proc reports utime and stime in USER_HZ, which the kernel fixes at 100 for user space on every architecture.
    private const double TicksPerSecond = 100;

    /// <summary>The calling thread (its kernel id, from /proc/thread-self → "PID/task/TID").</summary>
    public static ThreadCpuTime Current() =>
        new(int.Parse(Path.GetFileName(new FileInfo("/proc/thread-self").LinkTarget!), CultureInfo.InvariantCulture));

    /// <summary>User plus system time so far; zero once the thread has ended.</summary>
    public TimeSpan Used()
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/self/task/{ThreadId}/stat");
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return TimeSpan.Zero;
        }

        // The command name in parentheses may hold spaces: fields are counted after its closing parenthesis,
        // where field 3 (state) comes first, so utime (14) and stime (15) are the 12th and 13th.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }
}
