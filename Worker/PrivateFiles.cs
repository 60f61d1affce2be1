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

    /// <summary>
    /// The pickup folder: one the program creates is the owner's alone; one that already exists keeps its mode — an
    /// administrator who shared it with a relay's group (that picks the mail up under another account) meant it so,
    /// and taking it over would stop every delivery while the mails read 已寄出.
    /// </summary>
    public static void PickupFolder(string folder)
    {
        if (!Directory.Exists(folder))
        {
            RestrictFolder(folder);
        }
    }

    /// <summary>
    /// The mode for a mail written to the pickup folder: the owner's alone, or also readable by the folder's group when
    /// the folder is open to it (shared with a relay); never by others.
    /// </summary>
    public static UnixFileMode PickupFileMode(string folder) =>
        !OperatingSystem.IsWindows() && (File.GetUnixFileMode(folder) & (UnixFileMode.GroupRead | UnixFileMode.GroupExecute)) == (UnixFileMode.GroupRead | UnixFileMode.GroupExecute)
            ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead
            : UnixFileMode.UserRead | UnixFileMode.UserWrite;

    // DllImport, not LibraryImport: an int-only signature needs no marshalling code and no unsafe blocks.
    [DllImport("libc", EntryPoint = "umask")]
    private static extern uint SetUmask(uint mask);
}
