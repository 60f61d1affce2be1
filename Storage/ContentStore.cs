using System.Security.Cryptography;

namespace MailIntake.Storage;

/// <summary>Where a stored file landed: its path relative to DataDirectory, SHA-256 (lower-case hex) and size.</summary>
public sealed record StoredFile(string RelativePath, string Sha256, long Size);

/// <summary>
/// Content written and hashed to a temporary file of a <see cref="ContentStore"/>, not yet in place: what
/// <see cref="ContentStore.CommitAsync"/> makes durable and moves under its content name, or
/// <see cref="ContentStore.Discard"/> removes.
/// </summary>
public sealed record PendingFile(string TempPath, string Sha256, long Size);

/// <summary>
/// Files stored by content hash under one folder of DataDirectory: the same bytes are stored once,
/// and no name from outside (a sender's file name) ever takes part in a path.
/// A durable store (raw mail, the source of truth) has each file on the disk before it is in place and its name on the
/// disk before <see cref="CommitAsync"/> returns, for a whole group of files at once; a derived store (evidence, which
/// <c>store repair</c> decodes again from the raw mail) only writes and renames, and leaves the flushing to the system.
/// </summary>
public sealed class ContentStore
{
    private readonly string _dataDirectory;
    private readonly string _folder;
    private readonly string _extension;
    private readonly bool _durable;

    public ContentStore(string dataDirectory, string folder, string extension, bool durable = true)
    {
        _dataDirectory = Path.GetFullPath(dataDirectory);
        _folder = folder;
        _extension = extension;
        _durable = durable;
    }

    public static ContentStore RawMail(string dataDirectory) => new(dataDirectory, "raw", ".eml");

    public static ContentStore Evidence(string dataDirectory) => new(dataDirectory, "evidence", ".bin", durable: false);

    /// <summary>Streams the content to disk while hashing it (one pass, never whole in memory), then moves it into place.</summary>
    public async Task<StoredFile> SaveAsync(Func<Stream, CancellationToken, Task> writeContent, CancellationToken cancellationToken)
    {
        var pending = await WriteAsync(writeContent, cancellationToken);
        try
        {
            return (await CommitAsync([pending], cancellationToken))[0];
        }
        catch
        {
            Discard([pending]);
            throw;
        }
    }

    /// <summary>
    /// Streams the content to a temporary file while hashing it (one pass, never whole in memory), without flushing it
    /// to the disk: <see cref="CommitAsync"/> does that for a group of files together.
    /// </summary>
    public async Task<PendingFile> WriteAsync(Func<Stream, CancellationToken, Task> writeContent, CancellationToken cancellationToken)
    {
        var tempFolder = TempFolder;
        DurableFile.CreateDirectory(tempFolder, within: _dataDirectory);
        var tempPath = Path.Combine(tempFolder, Guid.NewGuid().ToString("N"));
        try
        {
            await using var file = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
            await using var hashing = new HashingStream(file);
            await writeContent(hashing, cancellationToken);
            await hashing.FlushAsync(cancellationToken);
            return new PendingFile(tempPath, hashing.HashHex(), hashing.Length);
        }
        catch
        {
            // Leave no half-written temporary file behind; the caller sees the original error.
            File.Delete(tempPath);
            throw;
        }
    }

    /// <summary>
    /// Moves written files under their content names, in the order given. In a durable store, first every file's content
    /// is flushed (concurrently), then the names (each folder once, concurrently): when this returns, all of them are on
    /// the disk and a row may name them. A stored copy that already holds the content is kept (and flushed too: it may be
    /// from a run killed before it flushed it); one that was damaged (overwritten, cut short) is replaced.
    /// </summary>
    public async Task<IReadOnlyList<StoredFile>> CommitAsync(IReadOnlyList<PendingFile> files, CancellationToken cancellationToken)
    {
        // Present: a stored copy already holds the content (kept, and flushed too: it may be from a run killed before it
        // flushed it). Repeated: the same content earlier in this group, placed by that one.
        var placed = new List<(PendingFile File, string RelativePath, string FinalPath, bool Present, bool Repeated)>(files.Count);
        var finalPaths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var relativePath = Path.Combine(_folder, file.Sha256[..2], file.Sha256 + _extension);
            var finalPath = Path.Combine(_dataDirectory, relativePath);
            DurableFile.CreateDirectory(Path.GetDirectoryName(finalPath)!, within: _dataDirectory);
            var repeated = !finalPaths.Add(finalPath);
            var present = !repeated && File.Exists(finalPath) && await HoldsAsync(finalPath, file.Sha256, file.Size, cancellationToken);
            placed.Add((file, relativePath, finalPath, present, repeated));
        }

        if (_durable)
        {
            DurableFile.SyncAll(placed.Where(entry => !entry.Repeated).Select(entry => entry.Present ? entry.FinalPath : entry.File.TempPath).ToList(), directories: false);
        }

        foreach (var (file, _, finalPath, present, repeated) in placed)
        {
            if (present || repeated)
            {
                File.Delete(file.TempPath);
            }
            else
            {
                // New, or the stored copy was damaged (overwritten, cut short): the same content arriving again heals it.
                File.Move(file.TempPath, finalPath, overwrite: true);
            }
        }

        if (_durable)
        {
            DurableFile.SyncAll(finalPaths.Select(path => Path.GetDirectoryName(path)!).Distinct().ToList(), directories: true);
        }

        return placed.Select(entry => new StoredFile(entry.RelativePath, entry.File.Sha256, entry.File.Size)).ToList();
    }

    /// <summary>Removes the temporary files of writes that will not be committed (a failed or abandoned group).</summary>
    public static void Discard(IEnumerable<PendingFile> files)
    {
        foreach (var file in files)
        {
            File.Delete(file.TempPath);
        }
    }

    /// <summary>Hashes and measures content without keeping it (an attachment over the size limit that is not to be kept).</summary>
    public static async Task<StoredFile> MeasureAsync(Func<Stream, CancellationToken, Task> writeContent, CancellationToken cancellationToken)
    {
        await using var hashing = new HashingStream(Stream.Null);
        await writeContent(hashing, cancellationToken);
        return new StoredFile(string.Empty, hashing.HashHex(), hashing.Length);
    }

    public Task<StoredFile> SaveAsync(Stream content, CancellationToken cancellationToken) =>
        SaveAsync((target, token) => content.CopyToAsync(target, token), cancellationToken);

    public string FullPath(string relativePath) => Path.Combine(_dataDirectory, relativePath);

    /// <summary>The DataDirectory this store is a folder of.</summary>
    public string DataDirectory => _dataDirectory;

    /// <summary>The folder this store keeps its files in, relative to DataDirectory (<c>raw</c>, <c>evidence</c>).</summary>
    public string Folder => _folder;

    /// <summary>Where a half-written file waits before it is renamed into place; anything left there is from a crash.</summary>
    public string TempFolder => Path.Combine(_dataDirectory, _folder, "tmp");

    /// <summary>
    /// Deletes the temporary files in <see cref="TempFolder"/> (writes that never finished); links and other names are
    /// left for store verify to report. Only for the holder of the DataDirectory lock, the one writer there.
    /// </summary>
    public (int Files, long Bytes) ClearTemp()
    {
        if (!Directory.Exists(TempFolder) || OwnFiles.IsLink(TempFolder))
        {
            return (0, 0);
        }

        var files = 0;
        long bytes = 0;
        foreach (var path in Directory.EnumerateFiles(TempFolder))
        {
            if (OwnFiles.IsStoreTempName(Path.GetFileName(path)) && !OwnFiles.IsLink(path) && !UnixFiles.IsSpecialOrLink(path))
            {
                bytes += new FileInfo(path).Length;
                File.Delete(path);
                files++;
            }
        }

        return (files, bytes);
    }

    /// <summary>Whether the file at <paramref name="path"/> still holds exactly the content of that SHA-256 and size.</summary>
    public static async Task<bool> HoldsAsync(string path, string sha256, long size, CancellationToken cancellationToken)
    {
        if (new FileInfo(path) is not { Exists: true } file || file.Length != size)
        {
            // A file behind a folder this user may not enter is not absent: say so, never "not the content".
            return UnixFiles.WhyUnreachable(path) is null ? false : throw new UnauthorizedAccessException($"Access to the path '{path}' is denied.");
        }

        FileStream stream;
        try
        {
            stream = UnixFiles.OpenRegular(path);
        }
        catch (NotARegularFileException)
        {
            return false; // a link, FIFO or device where the content belongs: never read, never taken for the content
        }

        await using var _ = stream;
        var hash = await SHA256.HashDataAsync(stream, cancellationToken);
        return string.Equals(Convert.ToHexStringLower(hash), sha256, StringComparison.Ordinal);
    }
}

/// <summary>A write-only pass-through that hashes what goes through it.</summary>
internal sealed class HashingStream(Stream inner) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _length;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _length;
    public override long Position { get => _length; set => throw new NotSupportedException(); }

    public string HashHex() => Convert.ToHexStringLower(_hash.GetHashAndReset());

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _hash.AppendData(buffer);
        _length += buffer.Length;
        inner.Write(buffer);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _hash.AppendData(buffer.Span);
        _length += buffer.Length;
        await inner.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => inner.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }
}
