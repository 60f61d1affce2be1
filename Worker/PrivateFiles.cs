using System.Runtime.InteropServices;

namespace MailIntake.Worker;

/// <summary>
/// Mail, evidence and the database hold personal data: every folder the program creates is 0700 and every file 0600,
/// whatever umask it was started with (systemd's default 0022 would make them world-readable).
/// </summary>
internal static class PrivateFiles
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Sets the process umask to 0077 before any file is created (SQLite's, the raw mail's, the pickup folder's).</summary>
    public static void Apply()
    {
        if (!OperatingSystem.IsWindows())
        {
            _ = SetUmask(Convert.ToUInt32("077", 8));
        }
    }

    /// <summary>
    /// Creates <paramref name="folder"/> if needed and makes it the owner's alone (one made by an older version too). The
    /// mode is changed only when it is wrong: on a file system mounted read-only (after a disk error) a folder already
    /// 0700 must not stop the commands that only read.
    /// </summary>
    public static void RestrictFolder(string folder)
    {
        Directory.CreateDirectory(folder);
        if (!OperatingSystem.IsWindows() && File.GetUnixFileMode(folder) != OwnerOnly)
        {
            File.SetUnixFileMode(folder, OwnerOnly);
        }
    }

    // DllImport, not LibraryImport: an int-only signature needs no marshalling code and no unsafe blocks.
    [DllImport("libc", EntryPoint = "umask")]
    private static extern uint SetUmask(uint mask);
}
