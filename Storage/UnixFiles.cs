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
    private const int OpenNonBlocking = 0x800; // O_NONBLOCK on Linux (x86-64 and arm64)
    private const int OpenCloseOnExec = 0x80000; // O_CLOEXEC on Linux (x86-64 and arm64)
    private const int AtEmptyPath = 0x1000; // AT_EMPTY_PATH: statx of the open descriptor itself
    private const uint StatxType = 0x1; // STATX_TYPE
    private const uint StatxIno = 0x100; // STATX_INO
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
    public static FileStream OpenRegular(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, FileOptions.SequentialScan);
        }

        var descriptor = Open(path, OpenReadOnly | OpenNonBlocking | OpenCloseOnExec | OpenNoFollow);
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
        return error == 17 ? false : throw new IOException($"cannot rename a file in '{folder}' to '{newName}' (errno {error})"); // EEXIST
    }

    private static byte[] Terminated(byte[] path) => [.. path, 0];

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

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int directoryFd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);

    [DllImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static extern int Flock(int descriptor, int operation);
}
