using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace MailIntake.Storage;

/// <summary>
/// How far a SQLite database file has come, from its 100-byte header (https://www.sqlite.org/fileformat.html): the
/// worker's generation mark (<c>user_version</c>, offset 60, advanced by each of its write transactions, see
/// <see cref="Database.Advance"/>) and the database size in pages (offset 28, valid when the change counter at offset 24
/// is repeated at offset 92). In WAL mode the file is written only by checkpoints, each of which copies the newest page 1
/// of what it copies — the mark of the worker's last commit, the size after the last growth: neither number ever goes
/// back while the file is written by SQLite. An older copy written over it (<c>cp old.db mailintake.db</c>) takes both
/// back to where they were when the copy was taken (h15h K3). SQLite's own change counter (offset 24) does not move in
/// WAL mode and is not used.
/// </summary>
public readonly record struct DatabaseHeaderMark(bool IsDatabase, uint Generation, uint? Pages)
{
    private static ReadOnlySpan<byte> Magic => "SQLite format 3\0"u8;

    /// <summary>
    /// Whether this file is behind <paramref name="reached"/>: no database header at all (truncated, garbled) where there
    /// was one, or a mark or a page count lower than seen before.
    /// </summary>
    public bool IsBehind(DatabaseHeaderMark reached) =>
        reached.IsDatabase && (!IsDatabase || Generation < reached.Generation || Pages < reached.Pages);

    /// <summary>Reads the header from <paramref name="file"/>, twice over until two reads agree: a checkpoint writing page 1 at the same moment is never read half-written.</summary>
    public static DatabaseHeaderMark Read(SafeFileHandle file)
    {
        var previous = Parse(file);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var again = Parse(file);
            if (again == previous)
            {
                return again;
            }

            previous = again;
        }

        return previous;
    }

    /// <summary>The mark of one header as read (a file shorter than a header, or without SQLite's magic, is no database).</summary>
    public static DatabaseHeaderMark Parse(ReadOnlySpan<byte> header)
    {
        if (header.Length < Database.HeaderBytes || !header[..Magic.Length].SequenceEqual(Magic))
        {
            return new(false, 0, null);
        }

        var counter = BinaryPrimitives.ReadUInt32BigEndian(header[24..]);
        var validFor = BinaryPrimitives.ReadUInt32BigEndian(header[92..]);
        return new(true, BinaryPrimitives.ReadUInt32BigEndian(header[60..]), validFor == counter ? BinaryPrimitives.ReadUInt32BigEndian(header[28..]) : null);
    }

    private static DatabaseHeaderMark Parse(SafeFileHandle file)
    {
        Span<byte> header = stackalloc byte[Database.HeaderBytes];
        var read = 0;
        while (read < header.Length)
        {
            var count = RandomAccess.Read(file, header[read..], read);
            if (count == 0)
            {
                break;
            }

            read += count;
        }

        return Parse(header[..read]);
    }
}
