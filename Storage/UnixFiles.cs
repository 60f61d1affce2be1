using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace MailIntake.Storage;

/// <summary>A file found where a regular file belongs that is something else (a FIFO, a device, a socket): never read.</summary>
public sealed class NotARegularFileException(string path)
    : IOException($"{path} is not a regular file (a FIFO, device or socket)")
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
    private const int LockExclusive = 2; // LOCK_EX
    private const int LockNonBlocking = 4; // LOCK_NB

    /// <summary>
    /// Opens a file for reading only if it is a regular file: a FIFO, device or socket throws
    /// <see cref="NotARegularFileException"/> without a byte read or a moment's wait.
    /// </summary>
    public static FileStream OpenRegular(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, FileOptions.SequentialScan);
        }

        var descriptor = Open(path, OpenReadOnly | OpenNonBlocking | OpenCloseOnExec);
        if (descriptor < 0)
        {
            var error = Marshal.GetLastPInvokeError();
            throw error switch
            {
                2 => new FileNotFoundException($"Could not find file '{path}'.", path),
                13 => new UnauthorizedAccessException($"Access to the path '{path}' is denied."),
                6 => new NotARegularFileException(path), // ENXIO: a socket, or a FIFO opened without a writer in some modes
                _ => new IOException($"cannot open '{path}' (errno {error})"),
            };
        }

        var handle = new SafeFileHandle(descriptor, ownsHandle: true);
        FileStream stream;
        try
        {
            stream = new FileStream(handle, FileAccess.Read, 81920);
        }
        catch
        {
            handle.Dispose();
            throw;
        }

        // A pipe or socket cannot seek. (A device node needs root's mknod: callers compare the recorded size first.)
        if (!stream.CanSeek)
        {
            stream.Dispose();
            throw new NotARegularFileException(path);
        }

        return stream;
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

    [DllImport("libc", EntryPoint = "realpath", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern IntPtr RealPath(string path, IntPtr resolved);

    [DllImport("libc", EntryPoint = "free")]
    private static extern void Free(IntPtr pointer);

    [DllImport("libc", EntryPoint = "open", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int Open(string path, int flags);

    [DllImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static extern int Flock(int descriptor, int operation);
}
