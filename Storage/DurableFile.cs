using System.Runtime.InteropServices;
using System.Text;

namespace MailIntake.Storage;

/// <summary>
/// Writes that survive a power loss once they return: content goes to a temporary file in the same folder, is flushed
/// to the disk (fsync), renamed over its final name, and the folder itself is flushed, because a rename lives in the
/// folder's own data and is lost with it otherwise. A reader never sees half a file: before the rename it sees none.
/// </summary>
public static class DurableFile
{
    private const int OpenReadOnly = 0;
    private const int OpenDirectory = 0x10000; // O_DIRECTORY on Linux (x86-64 and arm64)

    // Enough in flight for the file system to batch them; more only adds threads waiting on the same journal commit.
    private const int MaxConcurrentSyncs = 16;

    /// <summary>
    /// Writes <paramref name="content"/> to <paramref name="path"/> by write, fsync, rename, fsync of the folder; with
    /// <paramref name="mode"/>, the file has that mode (whatever the umask) before it takes its name.
    /// </summary>
    public static async Task WriteAsync(
        string path, Func<Stream, CancellationToken, Task> content, CancellationToken cancellationToken, UnixFileMode? mode = null, string? within = null)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        CreateDirectory(folder, within);
        var temp = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await content(file, cancellationToken);
                await file.FlushAsync(cancellationToken);
                file.Flush(flushToDisk: true);
            }

            if (mode is { } wanted && !OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, wanted);
            }

            Move(temp, path, overwrite: true);
        }
        catch
        {
            // No half-written temporary file stays behind; the caller sees the original error.
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>
    /// The same as <see cref="WriteAsync"/>, for a caller that writes synchronously. With <paramref name="within"/> (the
    /// DataDirectory the file belongs to), missing folders are made below it, never it (<see cref="CreateDirectory(string, string?)"/>).
    /// </summary>
    public static void Write(string path, Action<Stream> content, string? within = null)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        CreateDirectory(folder, within);
        var temp = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                content(file);
                file.Flush(flushToDisk: true);
            }

            Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    public static void WriteAllText(string path, string text) => Write(path, stream => stream.Write(Encoding.UTF8.GetBytes(text)));

    /// <summary>
    /// Renames a file whose content is already on the disk, then flushes the destination folder. The source folder is
    /// not flushed: after a power loss the old name may come back as well, a leftover that <c>store repair</c> clears
    /// (or, for a mail in the drop folder, one read again and known as already recorded), never a lost file.
    /// </summary>
    public static void Move(string source, string destination, bool overwrite)
    {
        File.Move(source, destination, overwrite);
        SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(destination))!);
    }

    /// <summary>Creates a folder (and any missing parent) so that it survives a power loss: each new one's parent is flushed.</summary>
    public static void CreateDirectory(string directory) => CreateDirectory(directory, within: null);

    /// <summary>
    /// Creates a folder (and any missing parent) below <paramref name="within"/> — a DataDirectory — but never that folder
    /// itself: when it is gone (moved away, unmounted, another folder at its path: <see cref="DataDirectoryGoneException.IsGone"/>),
    /// <see cref="DataDirectoryGoneException"/> is thrown and nothing is made at its old path. A folder on the way that is a
    /// symbolic link is not followed either (<see cref="StoreFolderLinkedException"/>).
    /// </summary>
    public static void CreateDirectory(string directory, string? within)
    {
        if (within is not null)
        {
            // Another folder at its path (an empty mount point, a new one after a move) is not it either.
            DataDirectoryGoneException.ThrowIfGone(within);
            // Nor through a link below it (raw/ moved to another disk and linked back): never followed (h14h G4).
            StoreFolderLinkedException.ThrowIfThroughLink(within, directory);
        }

        CreateBelow(Path.GetFullPath(directory), within is null ? null : Path.GetFullPath(within));
    }

    private static void CreateBelow(string full, string? within)
    {
        if (Directory.Exists(full))
        {
            return;
        }

        if (string.Equals(full, within, StringComparison.Ordinal))
        {
            throw new DataDirectoryGoneException(full);
        }

        var parent = Path.GetDirectoryName(full);
        if (parent is not null)
        {
            CreateBelow(parent, within);
        }

        Directory.CreateDirectory(full);
        if (parent is not null)
        {
            SyncDirectory(parent);
        }
    }

    /// <summary>Makes the folder's entries (a file created, renamed or removed in it) durable.</summary>
    public static void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            // NTFS journals its metadata; a folder handle cannot be flushed through the ordinary API.
            return;
        }

        Sync(directory, OpenReadOnly | OpenDirectory, "folder");
    }

    /// <summary>
    /// Flushes many files, or many folders, to the disk together: one fsync each, issued concurrently, so the file
    /// system commits them in a few journal transactions instead of one after another (a group commit). Returns once
    /// every one is durable; throws the first failure.
    /// </summary>
    public static void SyncAll(IReadOnlyCollection<string> paths, bool directories)
    {
        if (paths.Count == 0 || (directories && OperatingSystem.IsWindows()))
        {
            return;
        }

        if (paths.Count == 1)
        {
            SyncOne(paths.First(), directories);
            return;
        }

        Parallel.ForEach(paths, new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentSyncs }, path => SyncOne(path, directories));
    }

    private static void SyncOne(string path, bool directory)
    {
        if (directory)
        {
            SyncDirectory(path);
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
            file.Flush(flushToDisk: true);
            return;
        }

        Sync(path, OpenReadOnly, "file");
    }

    private static void Sync(string path, int flags, string what)
    {
        var descriptor = Open(path, flags);
        if (descriptor < 0)
        {
            throw new IOException($"cannot open {what} {path} to flush it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (Fsync(descriptor) != 0)
            {
                throw new IOException($"cannot flush {what} {path} to the disk (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    // .NET will not open a folder as a file, so its fsync goes through libc. DllImport, not LibraryImport: int-only
    // signatures and a path the runtime marshals as UTF-8 need no generated code and no unsafe blocks.
    [DllImport("libc", EntryPoint = "open", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int Open(string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int descriptor);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int descriptor);
}
