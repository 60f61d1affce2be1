using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace MailIntake.Storage;

/// <summary>A file found where a regular file belongs that is something else (a link, a FIFO, a device, a socket): never read.</summary>
public sealed class NotARegularFileException(string path)
    : IOException($"{path} is not a regular file (a link, FIFO, device or socket)")
{
    public string Path { get; } = path;
}

/// <summary>
/// What .NET's file API cannot do on Linux, through libc: open a file without blocking on a FIFO (a store file replaced
/// by a named pipe would hang a reader for ever), and hold an flock on a folder (a lock that deleting a file cannot
/// undo). On Windows the ordinary API is used (there are no FIFOs among ordinary paths).
/// </summary>
public static class UnixFiles
{
    private const int OpenReadOnly = 0;
    private const int OpenReadWrite = 2; // O_RDWR
    private const int OpenCreate = 0x40; // O_CREAT on Linux (x86-64 and arm64)
    private const int OpenNonBlocking = 0x800; // O_NONBLOCK on Linux (x86-64 and arm64)
    private const int OpenCloseOnExec = 0x80000; // O_CLOEXEC on Linux (x86-64 and arm64)
    private const int AtEmptyPath = 0x1000; // AT_EMPTY_PATH: statx of the open descriptor itself
    private const uint StatxType = 0x1; // STATX_TYPE
    private const uint StatxIno = 0x100; // STATX_INO
    private const uint StatxUid = 0x8; // STATX_UID
    private const uint StatxGid = 0x10; // STATX_GID
    private const uint StatxMode = 0x2; // STATX_MODE
    private const int SearchPermission = 1; // X_OK
    private const int WritePermission = 2; // W_OK
    private const int ReadPermission = 4; // R_OK
    private const int FileTypeMask = 0xF000; // S_IFMT
    private const int RegularFile = 0x8000; // S_IFREG
    private const int DirectoryType = 0x4000; // S_IFDIR
    private const int AtFdCwd = -100; // AT_FDCWD
    private const int AtSymlinkNoFollow = 0x100; // AT_SYMLINK_NOFOLLOW
    private const int LockShared = 1; // LOCK_SH
    private const int LockExclusive = 2; // LOCK_EX
    private const int LockNonBlocking = 4; // LOCK_NB

    /// <summary>
    /// Opens a file for reading only if it is a regular file, never following a link at its last step: a symbolic link,
    /// FIFO, device or socket throws <see cref="NotARegularFileException"/> without a byte read or a moment's wait. The
    /// type is read from the open descriptor, so a file swapped in between cannot slip through.
    /// </summary>
    public static FileStream OpenRegular(string path) => OpenRegular(path, followLink: false);

    /// <summary>
    /// As <see cref="OpenRegular(string)"/>; with <paramref name="followLink"/> a symbolic link at the last step is followed
    /// (a file a person names may be a link to theirs), and what it leads to must still be a regular file.
    /// </summary>
    public static FileStream OpenRegular(string path, bool followLink) =>
        OperatingSystem.IsWindows()
            ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, FileOptions.SequentialScan)
            : OpenRegular(Terminated(System.Text.Encoding.UTF8.GetBytes(path)), path, followLink);

    /// <summary>
    /// <see cref="OpenRegular(string)"/> of the entry named <paramref name="name"/> (raw bytes: a name that is not UTF-8,
    /// which .NET cannot open) in <paramref name="folder"/>; <paramref name="shown"/> names it in errors. Not on Windows.
    /// </summary>
    public static FileStream OpenRegular(string folder, byte[] name, string shown) =>
        OpenRegular(Terminated([.. System.Text.Encoding.UTF8.GetBytes(folder.TrimEnd('/') + "/"), .. name]), shown, followLink: false);

    private static FileStream OpenRegular(byte[] terminatedPath, string path, bool followLink)
    {
        var descriptor = OpenRaw(terminatedPath, OpenReadOnly | OpenNonBlocking | OpenCloseOnExec | (followLink ? 0 : OpenNoFollow));
        if (descriptor < 0)
        {
            var error = Marshal.GetLastPInvokeError();
            throw error switch
            {
                2 => new FileNotFoundException($"Could not find file '{path}'.", path),
                13 => new UnauthorizedAccessException($"Access to the path '{path}' is denied."),
                6 or 40 => new NotARegularFileException(path), // ENXIO: a socket; ELOOP: a symbolic link (O_NOFOLLOW)
                _ => new IOException($"cannot open '{path}' (errno {error})"),
            };
        }

        var handle = new SafeFileHandle(descriptor, ownsHandle: true);
        if (!IsRegular(descriptor))
        {
            handle.Dispose();
            throw new NotARegularFileException(path);
        }

        // As .NET's own FileStream does on Unix: a file another stream holds with FileShare.None (an exclusive flock)
        // is in use, not readable now.
        if (Flock(descriptor, LockShared | LockNonBlocking) != 0 && Marshal.GetLastPInvokeError() == 11)
        {
            handle.Dispose();
            throw new IOException($"The process cannot access the file '{path}' because it is being used by another process.");
        }

        try
        {
            return new FileStream(handle, FileAccess.Read, 81920);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// True when something other than a regular file is at <paramref name="path"/> itself (a symbolic link, even to a
    /// regular file, a FIFO, a device, a socket); false when it is a regular file, a folder or nothing.
    /// </summary>
    public static bool IsSpecialOrLink(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return new FileInfo(path).LinkTarget is not null;
        }

        var buffer = new byte[256];
        if (Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxType, buffer) != 0)
        {
            return false;
        }

        var type = BitConverter.ToUInt16(buffer, 28) & FileTypeMask;
        return type is not (RegularFile or DirectoryType);
    }

    /// <summary>
    /// Which folder or file <paramref name="path"/> is now (its device and inode, links followed), or null when there
    /// is nothing there: the same path naming another folder (moved away, a restore put in its place) differs.
    /// </summary>
    public static (ulong Device, ulong Inode)? Identity(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return Directory.Exists(path) || File.Exists(path) ? (0, 0) : null;
        }

        // struct statx: stx_ino (u64) at byte 32, stx_dev_major and stx_dev_minor (u32) at bytes 136 and 140.
        var buffer = new byte[256];
        if (Statx(AtFdCwd, path, 0, StatxIno, buffer) != 0)
        {
            return null;
        }

        var device = ((ulong)BitConverter.ToUInt32(buffer, 136) << 32) | BitConverter.ToUInt32(buffer, 140);
        return (device, BitConverter.ToUInt64(buffer, 32));
    }

    /// <summary>
    /// Why <paramref name="path"/> cannot even be looked at by this process (a folder on its way it may not enter: one a
    /// command run as root made 0700), as a zh-TW reason naming that folder and its owner; null when it can be looked at
    /// (whether or not anything is there). .NET's <c>File.Exists</c> says false for both, and a file behind such a
    /// folder is not missing.
    /// </summary>
    public static string? WhyUnreachable(string path)
    {
        const int PermissionDenied = 13; // EACCES
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        var buffer = new byte[256];
        if (Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxType, buffer) == 0 || Marshal.GetLastPInvokeError() != PermissionDenied)
        {
            return null;
        }

        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        var blocking = folder;
        // The first folder from the top that this process may not enter (search permission) is the one in the way.
        var chain = new Stack<string>();
        for (var current = folder; current is not null; current = System.IO.Path.GetDirectoryName(current))
        {
            chain.Push(current);
        }

        foreach (var current in chain)
        {
            if (Access(current, SearchPermission) != 0)
            {
                blocking = current;
                break;
            }
        }

        return blocking is not null && Owner(blocking) is { } owner
            ? $"沒有存取權限：資料夾 {blocking} 屬於 {UserName(owner.Uid)}（權限 {Convert.ToString((int)File.GetUnixFileMode(blocking), 8).PadLeft(4, '0')}），本程式以 {UserName(EffectiveUserId)} 執行，無法進入"
            : "沒有存取權限";
    }

    /// <summary>
    /// Why this process may not open an existing file for reading (and writing, when <paramref name="write"/>): the file, its
    /// owner and mode and the user this process runs as (zh-TW); null when it may, or the file is not there.
    /// </summary>
    public static string? WhyNoAccess(string path, bool write)
    {
        const int PermissionDenied = 13; // EACCES
        if (OperatingSystem.IsWindows() || !File.Exists(path)
            || Access(path, ReadPermission | (write ? WritePermission : 0)) == 0 || Marshal.GetLastPInvokeError() != PermissionDenied)
        {
            return null;
        }

        var owner = Owner(path) is { } found ? UserName(found.Uid) : "另一使用者";
        return $"{path} 屬於 {owner}（權限 {Convert.ToString((int)File.GetUnixFileMode(path), 8).PadLeft(4, '0')}），本程式以 {UserName(EffectiveUserId)} 執行";
    }

    /// <summary>
    /// Why this process may not write an existing file, or create and remove files in an existing folder (write and
    /// search permission): the path, its owner and mode and the user this process runs as (zh-TW); null when it may, or
    /// nothing is there. Only a permission refusal (EACCES) counts: a read-only file system is told apart elsewhere.
    /// </summary>
    public static string? WhyNoWriteAccess(string path)
    {
        const int PermissionDenied = 13; // EACCES
        const int NotPermitted = 1; // EPERM: the immutable flag (chattr +i), whatever the owner and mode say
        var folder = Directory.Exists(path);
        if (OperatingSystem.IsWindows() || (!folder && !File.Exists(path)) || Access(path, WritePermission | (folder ? SearchPermission : 0)) == 0)
        {
            return null;
        }

        var refusal = Marshal.GetLastPInvokeError();
        if (refusal is not (PermissionDenied or NotPermitted))
        {
            return null;
        }

        if (refusal == NotPermitted)
        {
            // h30h P4: every pass failed while status said 正常 — only a permission refusal was looked for.
            return $"{(folder ? "資料夾 " : "")}{path} 設有不可修改屬性（immutable），任何使用者皆無法寫入；請以 lsattr 查看、chattr -i 解除";
        }

        var owner = Owner(path) is { } found ? UserName(found.Uid) : "另一使用者";
        return $"{(folder ? "資料夾 " : "")}{path} 屬於 {owner}（權限 {Convert.ToString((int)File.GetUnixFileMode(path), 8).PadLeft(4, '0')}），本程式以 {UserName(EffectiveUserId)} 執行";
    }

    /// <summary>
    /// Why this process may enter and read <paramref name="folder"/> but not create or remove files in it (its owner and
    /// mode, as <see cref="WhyNoWriteAccess"/>); null when it may write there, or when it may not even enter it (a folder
    /// out of reach is told by <see cref="WhyUnreachable"/> for the files behind it, never twice).
    /// </summary>
    public static string? WhyFolderNotWritable(string folder) =>
        !OperatingSystem.IsWindows() && Directory.Exists(folder) && Access(folder, ReadPermission | SearchPermission) == 0
            ? WhyNoWriteAccess(folder)
            : null;

    /// <summary>The owner and group of <paramref name="path"/> (links followed), or null when it cannot be looked at.</summary>
    public static (uint Uid, uint Gid)? Owner(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        // struct statx: stx_uid (u32) at byte 20, stx_gid (u32) at byte 24.
        var buffer = new byte[256];
        return Statx(AtFdCwd, path, 0, StatxUid | StatxGid, buffer) == 0
            ? (BitConverter.ToUInt32(buffer, 20), BitConverter.ToUInt32(buffer, 24))
            : null;
    }

    /// <summary>The user this process acts as (its effective uid); 0 on Windows.</summary>
    public static uint EffectiveUserId => OperatingSystem.IsWindows() ? 0 : GetEffectiveUserId();

    /// <summary>The login name of <paramref name="uid"/>, or the number when the user database has none.</summary>
    public static string UserName(uint uid) => User(uid)?.Name ?? uid.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The user database's entry for <paramref name="uid"/>: its name and primary group; null when none.</summary>
    public static (string Name, uint Gid)? User(uint uid)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        // struct passwd (glibc, 64-bit): char *pw_name, char *pw_passwd, uid_t pw_uid, gid_t pw_gid (at byte 20), …
        var entry = GetPasswordEntry(uid);
        return entry == IntPtr.Zero || Marshal.PtrToStringUTF8(Marshal.ReadIntPtr(entry)) is not { } name
            ? null
            : (name, (uint)Marshal.ReadInt32(entry, 2 * IntPtr.Size + 4));
    }

    /// <summary>
    /// Makes this process <paramref name="uid"/> with its groups (every thread: glibc applies set*id to all of them), for
    /// good. Throws when the kernel refuses.
    /// </summary>
    public static void BecomeUser(uint uid, uint gid, string? name)
    {
        if ((name is not null ? InitGroups(name, gid) : SetGroups(0, IntPtr.Zero)) != 0
            || SetResGid(gid, gid, gid) != 0 || SetResUid(uid, uid, uid) != 0)
        {
            throw new IOException($"cannot switch to user {name ?? uid.ToString(System.Globalization.CultureInfo.InvariantCulture)} (errno {Marshal.GetLastPInvokeError()})");
        }
    }

    /// <summary>O_NOFOLLOW: 0x20000 on x86-64, 0x8000 on arm64.</summary>
    private static int OpenNoFollow =>
        RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x8000 : 0x20000;

    /// <summary>Whether an open descriptor is a regular file (struct statx: stx_mode, a u16 at byte 28).</summary>
    private static bool IsRegular(int descriptor)
    {
        var buffer = new byte[256];
        if (Statx(descriptor, "", AtEmptyPath, StatxType, buffer) != 0)
        {
            throw new IOException($"cannot read the type of an open file (errno {Marshal.GetLastPInvokeError()})");
        }

        return (BitConverter.ToUInt16(buffer, 28) & FileTypeMask) == RegularFile;
    }

    /// <summary>
    /// Takes an exclusive flock on a folder, or returns null when another process holds it. The lock lives as long as the
    /// returned handle (the kernel drops it when the process ends, however it ends); a folder with files in it cannot be
    /// deleted from under it, as a lock file can.
    /// </summary>
    public static SafeFileHandle? TryLockFolder(string folder)
    {
        var descriptor = Open(folder, OpenReadOnly | OpenCloseOnExec);
        if (descriptor < 0)
        {
            throw new IOException($"cannot open folder '{folder}' to lock it (errno {Marshal.GetLastPInvokeError()})");
        }

        var handle = new SafeFileHandle(descriptor, ownsHandle: true);
        if (Flock(descriptor, LockExclusive | LockNonBlocking) == 0)
        {
            return handle;
        }

        var error = Marshal.GetLastPInvokeError();
        handle.Dispose();
        return error == 11 ? null : throw new IOException($"cannot lock folder '{folder}' (errno {error})"); // EWOULDBLOCK
    }

    /// <summary>
    /// Takes an exclusive flock on the lock file <paramref name="path"/> (made if <paramref name="create"/> and missing,
    /// readable by all: 0644, so that a backup by another user can open it to lock it), or returns null when another
    /// process holds it (or, not <paramref name="create"/>, when there is none). A lock file this user may not write is
    /// opened for reading (flock needs no more); one it may not even read (root's 0600, from an older version) is
    /// removed and made again when no process holds it (per <c>/proc/locks</c>). The lock taken is checked to be on the
    /// file the path names now, so a lock file removed by another backup meanwhile is never held for nothing.
    /// </summary>
    public static SafeFileHandle? TryLockFile(string path, bool create)
    {
        if (OperatingSystem.IsWindows())
        {
            try
            {
                return File.OpenHandle(path, create ? FileMode.OpenOrCreate : FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException exception) when (exception is FileNotFoundException || exception.HResult == unchecked((int)0x80070020))
            {
                return null; // gone, or ERROR_SHARING_VIOLATION: held
            }
        }

        const int PermissionDenied = 13; // EACCES
        const int NotFound = 2; // ENOENT
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var flags = OpenCloseOnExec | OpenNoFollow;
            var descriptor = OpenWithMode(path, flags | OpenReadWrite | (create ? OpenCreate : 0), Convert.ToUInt32("644", 8));
            if (descriptor < 0 && create && Marshal.GetLastPInvokeError() == NotFound)
            {
                // O_CREAT fails so only when the folder it is to be made in is not there.
                throw new DirectoryNotFoundException($"Could not find a part of the path '{path}'.");
            }

            if (descriptor < 0 && Marshal.GetLastPInvokeError() == PermissionDenied)
            {
                descriptor = Open(path, flags | OpenReadOnly);
            }

            if (descriptor < 0)
            {
                var error = Marshal.GetLastPInvokeError();
                if (error == NotFound && !create)
                {
                    return null;
                }

                if (error == NotFound)
                {
                    // Not there to read, and not to be made: the folder is not this user's to write (as .NET would say it).
                    throw new UnauthorizedAccessException($"Access to the path '{path}' is denied.");
                }

                if (error != PermissionDenied)
                {
                    throw new IOException($"cannot open lock file '{path}' (errno {error})");
                }

                // Another user's, unreadable to this one: stale unless a process holds it; then removed and made again.
                if (!create || Identity(path) is not { } stale || FlockedByAnother(stale))
                {
                    return null;
                }

                if (Unlink(path) != 0 && Marshal.GetLastPInvokeError() != NotFound)
                {
                    throw new UnauthorizedAccessException($"Access to the path '{path}' is denied.");
                }

                continue;
            }

            var handle = new SafeFileHandle(descriptor, ownsHandle: true);
            if (Flock(descriptor, LockExclusive | LockNonBlocking) != 0)
            {
                var error = Marshal.GetLastPInvokeError();
                handle.Dispose();
                return error == 11 ? null : throw new IOException($"cannot lock '{path}' (errno {error})"); // EWOULDBLOCK
            }

            var held = DescriptorIdentity(descriptor);
            if (Identity(path) is not { } now || now != (held.Device, held.Inode))
            {
                handle.Dispose(); // removed (and perhaps made again) between the open and the lock: try the one there now
                continue;
            }

            if (held.Uid == EffectiveUserId && held.Mode != Convert.ToInt32("644", 8))
            {
                File.SetUnixFileMode(handle, (UnixFileMode)Convert.ToInt32("644", 8));
            }

            return handle;
        }

        throw new IOException($"lock file '{path}' keeps being replaced");
    }

    /// <summary>Removes the file at <paramref name="path"/> if this process may; false (nothing thrown) when it may not or it is gone.</summary>
    public static bool TryRemove(string path) =>
        OperatingSystem.IsWindows() ? RemoveWindows(path) : Unlink(path) == 0;

    private static bool RemoveWindows(string path)
    {
        File.Delete(path);
        return true;
    }

    /// <summary>
    /// Whether <paramref name="handle"/> and <paramref name="path"/> are the same file now (a lock file not removed or
    /// replaced since it was opened); true on Windows, where an open file cannot be removed.
    /// </summary>
    public static bool SameFile(SafeFileHandle handle, string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        var held = DescriptorIdentity((int)handle.DangerousGetHandle());
        return Identity(path) is { } now && now == (held.Device, held.Inode);
    }

    /// <summary>
    /// Whether another process holds an flock on the file or folder with this identity, per the kernel's table
    /// (<c>/proc/locks</c>): e.g. <c>1: FLOCK  ADVISORY  WRITE 4242 08:01:1234567 0 EOF</c> (PID, then MAJOR:MINOR in hex
    /// and the inode). False when the table cannot be read.
    /// </summary>
    public static bool FlockedByAnother((ulong Device, ulong Inode) file) => FlockHolder(file) is not null;

    /// <summary>
    /// The PID of another process holding an flock on the file or folder with this identity, per the kernel's table
    /// (see <see cref="FlockedByAnother"/>); null when none does or the table cannot be read.
    /// </summary>
    public static int? FlockHolder((ulong Device, ulong Inode) file)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/locks"))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                // A blocked waiter's line starts "1: -> FLOCK …": only holders count.
                if (fields.Length < 6 || fields[1] != "FLOCK"
                    || !int.TryParse(fields[4], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid)
                    || pid == Environment.ProcessId)
                {
                    continue;
                }

                var place = fields[5].Split(':');
                if (place.Length == 3
                    && ulong.TryParse(place[0], System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out var major)
                    && ulong.TryParse(place[1], System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out var minor)
                    && ulong.TryParse(place[2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var inode)
                    && inode == file.Inode && ((major << 32) | minor) == file.Device)
                {
                    return pid;
                }
            }

            return null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Device, inode, owner and permission bits of an open descriptor (struct statx as in <see cref="Identity(string)"/>).</summary>
    private static (ulong Device, ulong Inode, uint Uid, int Mode) DescriptorIdentity(int descriptor)
    {
        var buffer = new byte[256];
        if (Statx(descriptor, "", AtEmptyPath, StatxIno | StatxUid | StatxType | StatxMode, buffer) != 0)
        {
            throw new IOException($"cannot read an open file's identity (errno {Marshal.GetLastPInvokeError()})");
        }

        var device = ((ulong)BitConverter.ToUInt32(buffer, 136) << 32) | BitConverter.ToUInt32(buffer, 140);
        return (device, BitConverter.ToUInt64(buffer, 32), BitConverter.ToUInt32(buffer, 20), BitConverter.ToUInt16(buffer, 28) & 0xFFF);
    }

    /// <summary>
    /// Whether <paramref name="folder"/> is the top of a file system mounted there (its device differs from its parent's),
    /// as a new disk mounted where the DataDirectory is to be.
    /// </summary>
    public static bool IsMountPoint(string folder)
    {
        var full = System.IO.Path.GetFullPath(folder).TrimEnd(System.IO.Path.DirectorySeparatorChar);
        return !OperatingSystem.IsWindows()
            && System.IO.Path.GetDirectoryName(full) is { } parent
            && Identity(full) is { } here && Identity(parent) is { } above
            && here.Device != above.Device;
    }

    /// <summary>
    /// The path with every symbolic link and <c>..</c> resolved, as far as it exists; the part that does not exist yet is
    /// appended as written. Two spellings of one place (a link to DataDirectory, <c>a/../b</c>) come out equal.
    /// </summary>
    public static string RealPath(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        var existing = full;
        var rest = new Stack<string>();
        while (!File.Exists(existing) && !Directory.Exists(existing) && System.IO.Path.GetDirectoryName(existing) is { } parent)
        {
            rest.Push(System.IO.Path.GetFileName(existing));
            existing = parent;
        }

        var resolved = existing;
        if (!OperatingSystem.IsWindows())
        {
            var pointer = RealPath(existing, IntPtr.Zero);
            if (pointer != IntPtr.Zero)
            {
                try
                {
                    resolved = Marshal.PtrToStringUTF8(pointer) ?? existing;
                }
                finally
                {
                    Free(pointer);
                }
            }
        }

        return rest.Aggregate(resolved, System.IO.Path.Combine);
    }

    /// <summary>
    /// Whether the file system holding <paramref name="path"/> is mounted read-only (ext4's <c>errors=remount-ro</c> after a
    /// disk error): false on Windows, or when it cannot be told.
    /// </summary>
    public static bool IsOnReadOnlyFileSystem(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        // struct statvfs (glibc, 64-bit): eight unsigned longs, f_fsid, then f_flag at byte 72; ST_RDONLY is 1.
        var buffer = new byte[256];
        return (StatVfs(path, buffer) == 0 && (BitConverter.ToUInt64(buffer, 72) & 1) != 0) || RefusesWrites(path);
    }

    /// <summary>
    /// Whether creating a file in <paramref name="folder"/> fails with EROFS: ext4 after a disk error
    /// (<c>errors=remount-ro</c>) refuses every write while newer kernels no longer set the mount's read-only flag
    /// (the superblock is marked <c>emergency_ro</c>), so only trying tells.
    /// </summary>
    private static bool RefusesWrites(string folder)
    {
        const int ReadOnlyFileSystem = 30; // EROFS
        try
        {
            using var probe = new FileStream(Path.Combine(folder, $".write-probe-{Environment.ProcessId}-{Guid.NewGuid():N}"),
                FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1, FileOptions.DeleteOnClose);
            return false;
        }
        catch (IOException exception) when ((exception.HResult & 0xFFFF) == ReadOnlyFileSystem)
        {
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Another reason (permissions, a full inode table) is not a read-only file system: the writer names it.
            return false;
        }
    }

    /// <summary>
    /// The names in <paramref name="folder"/> as the file system holds them, byte for byte (not <c>.</c> and <c>..</c>).
    /// .NET decodes a name as UTF-8 and replaces what is not (a Big5 name written by a Windows tool in Taiwan) with
    /// U+FFFD, so such a file cannot be opened by the name .NET gives; these bytes can rename it.
    /// </summary>
    public static IReadOnlyList<byte[]> RawNames(string folder)
    {
        var names = new List<byte[]>();
        var directory = OpenDirectory(folder);
        if (directory == IntPtr.Zero)
        {
            throw new IOException($"cannot list folder '{folder}' (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            // struct dirent64 (glibc, x86-64 and arm64): d_ino u64, d_off s64, d_reclen u16, d_type u8, then d_name.
            for (var entry = ReadDirectory(directory); entry != IntPtr.Zero; entry = ReadDirectory(directory))
            {
                var start = entry + 19;
                var length = 0;
                while (Marshal.ReadByte(start, length) != 0)
                {
                    length++;
                }

                var name = new byte[length];
                Marshal.Copy(start, name, 0, length);
                if (name is not ([(byte)'.'] or [(byte)'.', (byte)'.']))
                {
                    names.Add(name);
                }
            }
        }
        finally
        {
            _ = CloseDirectory(directory);
        }

        return names;
    }

    /// <summary>
    /// Renames the entry named <paramref name="name"/> (raw bytes) in <paramref name="folder"/> to <paramref name="newName"/>
    /// in the same folder, never replacing anything: false when <paramref name="newName"/> is taken.
    /// </summary>
    public static bool RenameRaw(string folder, byte[] name, string newName)
    {
        var prefix = System.Text.Encoding.UTF8.GetBytes(folder.TrimEnd('/') + "/");
        var from = Terminated([.. prefix, .. name]);
        var to = Terminated([.. prefix, .. System.Text.Encoding.UTF8.GetBytes(newName)]);
        if (RenameAt2(AtFdCwd, from, AtFdCwd, to, RenameNoReplace) == 0)
        {
            return true;
        }

        var error = Marshal.GetLastPInvokeError();
        return error switch
        {
            17 => false, // EEXIST
            36 => throw new PathTooLongException($"The name '{folder.TrimEnd('/')}/{newName}' is too long for this file system (errno 36)."), // ENAMETOOLONG
            1 or 13 => throw new UnauthorizedAccessException($"Access to the path '{folder}' is denied."), // EPERM, EACCES
            _ => throw new IOException($"cannot rename a file in '{folder}' to '{newName}' (errno {error})"),
        };
    }

    private static byte[] Terminated(byte[] path) => [.. path, 0];

    /// <summary>
    /// Opens the folder at <paramref name="path"/> for <see cref="RenameInto"/>, never through a link (O_NOFOLLOW): its
    /// descriptor, or null when a link or something not a folder stands there (ELOOP, ENOTDIR).
    /// </summary>
    public static int? OpenFolderNoFollow(string path)
    {
        var descriptor = Open(path, ORdOnly | ODirectory | ONoFollow | OCloExec);
        if (descriptor >= 0)
        {
            return descriptor;
        }

        var error = Marshal.GetLastPInvokeError();
        return error is 40 or 20 ? null : throw new IOException($"cannot open the folder '{path}' (errno {error})"); // ELOOP, ENOTDIR
    }

    /// <summary>
    /// Moves <paramref name="source"/> into the folder open as <paramref name="folder"/> (<see cref="OpenFolderNoFollow"/>,
    /// shown as <paramref name="folderPath"/>) under <paramref name="name"/>, never replacing anything, and makes it
    /// durable: false when that name is taken.
    /// </summary>
    public static bool RenameInto(string source, int folder, string folderPath, string name)
    {
        if (RenameAt2(AtFdCwd, Terminated(System.Text.Encoding.UTF8.GetBytes(Path.GetFullPath(source))), folder,
                Terminated(System.Text.Encoding.UTF8.GetBytes(name)), RenameNoReplace) == 0)
        {
            _ = FsyncDescriptor(folder);
            return true;
        }

        var error = Marshal.GetLastPInvokeError();
        return error switch
        {
            17 => false, // EEXIST
            2 => throw new FileNotFoundException($"Could not find file '{source}'.", source), // ENOENT
            36 => throw new PathTooLongException($"The name '{folderPath}/{name}' is too long for this file system (errno 36)."), // ENAMETOOLONG
            1 or 13 => throw new UnauthorizedAccessException($"Access to the path '{source}' is denied."), // EPERM, EACCES: as File.Move names it
            _ => throw new IOException($"cannot move '{source}' into '{folderPath}' (errno {error})"),
        };
    }

    /// <summary>Closes a descriptor <see cref="OpenFolderNoFollow"/> gave.</summary>
    public static void CloseDescriptor(int descriptor) => _ = CloseFd(descriptor);

    private const int ORdOnly = 0, ODirectory = 0x10000, ONoFollow = 0x20000, OCloExec = 0x80000;

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int FsyncDescriptor(int descriptor);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int CloseFd(int descriptor);

    private const uint RenameNoReplace = 1; // RENAME_NOREPLACE

    [DllImport("libc", EntryPoint = "statvfs", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int StatVfs(string path, byte[] buffer);

    [DllImport("libc", EntryPoint = "opendir", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern IntPtr OpenDirectory(string path);

    [DllImport("libc", EntryPoint = "readdir64", SetLastError = true)]
    private static extern IntPtr ReadDirectory(IntPtr directory);

    [DllImport("libc", EntryPoint = "closedir", SetLastError = true)]
    private static extern int CloseDirectory(IntPtr directory);

    [DllImport("libc", EntryPoint = "renameat2", SetLastError = true)]
    private static extern int RenameAt2(int fromDirectory, byte[] from, int toDirectory, byte[] to, uint flags);

    [DllImport("libc", EntryPoint = "realpath", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern IntPtr RealPath(string path, IntPtr resolved);

    [DllImport("libc", EntryPoint = "free")]
    private static extern void Free(IntPtr pointer);

    [DllImport("libc", EntryPoint = "open", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int Open(string path, int flags);

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int OpenRaw(byte[] path, int flags);

    [DllImport("libc", EntryPoint = "open", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int OpenWithMode(string path, int flags, uint mode);

    [DllImport("libc", EntryPoint = "unlink", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int Unlink(string path);

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int directoryFd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);

    [DllImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static extern int Flock(int descriptor, int operation);

    [DllImport("libc", EntryPoint = "access", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int Access(string path, int mode);

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEffectiveUserId();

    [DllImport("libc", EntryPoint = "getpwuid", SetLastError = true)]
    private static extern IntPtr GetPasswordEntry(uint uid);

    [DllImport("libc", EntryPoint = "initgroups", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int InitGroups(string user, uint group);

    [DllImport("libc", EntryPoint = "setgroups", SetLastError = true)]
    private static extern int SetGroups(nuint size, IntPtr list);

    [DllImport("libc", EntryPoint = "setresgid", SetLastError = true)]
    private static extern int SetResGid(uint real, uint effective, uint saved);

    [DllImport("libc", EntryPoint = "setresuid", SetLastError = true)]
    private static extern int SetResUid(uint real, uint effective, uint saved);
}
