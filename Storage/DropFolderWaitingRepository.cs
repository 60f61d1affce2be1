using Dapper;

namespace MailIntake.Storage;

/// <summary>Why a drop-folder file waits where staff must hear of it.</summary>
public enum DropFileWait
{
    /// <summary>Whole as far as can be seen, but a process keeps it open for writing, unchanged past the patience: not read.</summary>
    OpenForWriting,

    /// <summary>Recorded (filed, receipted where due), but it could not be moved to <c>processed/</c>.</summary>
    NotMoved,
}

/// <summary>
/// One drop-folder file waiting: <see cref="Since"/> is, open for writing, when it last changed; not moved, the first pass
/// that could not move it. <see cref="Detail"/> says why a move failed (zh-TW).
/// </summary>
public sealed record DropFileWaiting(string Path, DropFileWait Reason, DateTimeOffset Since, string? Detail, DateTimeOffset SeenAt);

/// <summary>What the last pass over the drop folder found waiting there (<see cref="DropFileWait"/>), for status and the digest.</summary>
public sealed class DropFolderWaitingRepository(Database database)
{
    /// <summary>
    /// Puts <paramref name="waiting"/> in place of what an earlier pass found: a file no longer waiting is named no more.
    /// A file still not moved keeps the time it was first found so.
    /// </summary>
    public void Replace(IReadOnlyList<DropFileWaiting> waiting)
    {
        using var connection = database.Open();
        // Only the worker's pass writes here (one worker per DataDirectory): read before the write transaction, so the
        // usual pass — nothing was waiting and nothing is — takes no write lock.
        var earlier = connection.Query<(string Path, string Reason, string Since)>("SELECT path, reason, since FROM drop_folder_waiting")
            .ToDictionary(row => (row.Path, row.Reason), row => row.Since);
        if (earlier.Count == 0 && waiting.Count == 0)
        {
            return;
        }

        using var transaction = connection.BeginTransaction();
        connection.Execute("DELETE FROM drop_folder_waiting", transaction: transaction);
        foreach (var file in waiting)
        {
            var reason = Text(file.Reason);
            var since = file.Reason == DropFileWait.NotMoved && earlier.TryGetValue((file.Path, reason), out var first) ? first : Instants.Format(file.Since);
            connection.Execute(
                """
                INSERT INTO drop_folder_waiting (path, reason, since, detail, seen_at) VALUES (@path, @reason, @since, @detail, @seenAt)
                ON CONFLICT (path) DO UPDATE SET reason = excluded.reason, since = excluded.since, detail = excluded.detail, seen_at = excluded.seen_at
                """,
                new { path = file.Path, reason, since, detail = file.Detail, seenAt = Instants.Format(file.SeenAt) },
                transaction);
        }

        transaction.Commit();
    }

    /// <summary>What the last pass found; nothing on a store not yet migrated to 0042 (read-only: status still reads it).</summary>
    public IReadOnlyList<DropFileWaiting> List()
    {
        using var connection = database.Open();
        if (connection.ExecuteScalar<long>("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'drop_folder_waiting'") == 0)
        {
            return [];
        }

        return connection.Query<(string Path, string Reason, string Since, string? Detail, string SeenAt)>(
                "SELECT path, reason, since, detail, seen_at FROM drop_folder_waiting ORDER BY reason, path")
            .Select(row => new DropFileWaiting(row.Path, Parse(row.Reason), Instants.Parse(row.Since), row.Detail, Instants.Parse(row.SeenAt)))
            .ToList();
    }

    private static string Text(DropFileWait reason) => reason switch
    {
        DropFileWait.OpenForWriting => "open-for-writing",
        DropFileWait.NotMoved => "not-moved",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };

    private static DropFileWait Parse(string text) => text switch
    {
        "open-for-writing" => DropFileWait.OpenForWriting,
        "not-moved" => DropFileWait.NotMoved,
        _ => throw new InvalidOperationException($"unknown drop_folder_waiting reason '{text}'"),
    };
}
