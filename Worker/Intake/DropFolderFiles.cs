using System.Runtime.InteropServices;

namespace MailIntake.Worker.Intake;

/// <summary>
/// Which files in the drop folder are whole mails. A writer that writes under a hidden or temporary name (<c>.NAME</c>,
/// <c>NAME.tmp</c>) and then renames it to <c>NAME.eml</c> is never read half-way: only <c>*.eml</c> not starting with a
/// dot are taken. For a writer that writes <c>NAME.eml</c> in place (a file manager's copy, a script), a file is read
/// only once it has not changed for <c>Mailbox:DropQuietPeriod</c>. "Changed" is the later of its modification and
/// status-change time (a write moves the status-change time even when a copy keeps the source's modification time),
/// read against the folder's own clock (the time stamp a file we write there gets), so neither a network share's clock
/// nor the worker's clock setting matters.
/// </summary>
internal static class DropFolderFiles
{
    private const string ClockFile = ".mailintake-clock";

    /// <summary>The mails waiting in the folder, oldest name first: <c>*.eml</c>, never a hidden file.</summary>
    public static IReadOnlyList<string> Candidates(string dropFolder) =>
        Directory.EnumerateFiles(dropFolder, "*.eml")
            .Where(path => !Path.GetFileName(path).StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// True once <paramref name="path"/> has been left unchanged for <paramref name="quiet"/>; false when it is still
    /// changing after five quiet periods of waiting (a slow writer: a later pass takes it) or is gone.
    /// </summary>
    public static async Task<bool> WaitUntilWrittenAsync(string path, TimeSpan quiet, TimeProvider time, CancellationToken cancellationToken)
    {
        if (quiet <= TimeSpan.Zero)
        {
            return File.Exists(path);
        }

        var patience = quiet * 5;
        var waited = TimeSpan.Zero;
        while (true)
        {
            var now = FolderNow(Path.GetDirectoryName(path)!);
            if (!File.Exists(path))
            {
                return false;
            }

            var still = now - LastChange(path);
            if (still >= quiet)
            {
                return true;
            }

            if (waited >= patience)
            {
                return false;
            }

            var wait = quiet - still;
            wait = wait < TimeSpan.FromMilliseconds(100) ? TimeSpan.FromMilliseconds(100) : wait;
            await Task.Delay(wait, time, cancellationToken);
            waited += wait;
        }
    }

    /// <summary>The folder's own clock: the time stamp of a file written there now.</summary>
    private static DateTime FolderNow(string folder)
    {
        var clock = Path.Combine(folder, ClockFile);
        File.WriteAllBytes(clock, [1]);
        return LastChange(clock);
    }

    /// <summary>The later of the modification and (on Linux) status-change time, in UTC.</summary>
    private static DateTime LastChange(string path)
    {
        var modified = File.GetLastWriteTimeUtc(path);
        return StatusChange(path) is { } changed && changed > modified ? changed : modified;
    }

    private static DateTime? StatusChange(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        // struct statx: stx_ctime (struct statx_timestamp { s64 tv_sec; u32 tv_nsec; s32 reserved; }) at byte 96.
        var buffer = new byte[256];
        if (Statx(AtFdCwd, path, 0, StatxCtime, buffer) != 0)
        {
            return null;
        }

        var seconds = BitConverter.ToInt64(buffer, 96);
        var nanoseconds = BitConverter.ToUInt32(buffer, 104);
        return DateTime.UnixEpoch.AddSeconds(seconds).AddTicks(nanoseconds / 100);
    }

    private const int AtFdCwd = -100;
    private const uint StatxCtime = 0x80;

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int directoryFd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);
}
