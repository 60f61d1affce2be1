using System.Data;
using Dapper;

namespace MailIntake.Storage;

public sealed class CheckpointRepository(Database database)
{
    public MailboxCheckpoint? Get(string mailbox)
    {
        using var connection = database.Open();
        return connection.QuerySingleOrDefault<MailboxCheckpoint>(
            "SELECT mailbox AS Mailbox, uid_validity AS UidValidity, last_uid AS LastUid FROM mailbox_checkpoints WHERE mailbox = @mailbox",
            new { mailbox });
    }

    public void Save(MailboxCheckpoint checkpoint, DateTimeOffset now)
    {
        using var connection = database.Open();
        Save(connection, null, checkpoint, now);
    }

    /// <summary>
    /// The server handed out UIDs again under the same UIDVALIDITY (its store was restored): the checkpoint goes back to
    /// the start, which <see cref="Save(MailboxCheckpoint, DateTimeOffset)"/> never does, and the rescan is kept for status.
    /// </summary>
    public void Rescan(MailboxCheckpoint checkpoint, string reason, DateTimeOffset now)
    {
        using var connection = database.Open();
        connection.Execute(
            """
            UPDATE mailbox_checkpoints SET last_uid = 0, rescanned_at = @now, rescan_reason = @reason, updated_at = @now
            WHERE mailbox = @Mailbox AND uid_validity = @UidValidity
            """,
            new { checkpoint.Mailbox, checkpoint.UidValidity, reason, now = Instants.Format(now) });
    }

    /// <summary>The latest rescan of any mailbox since <paramref name="since"/>, or null.</summary>
    public MailboxRescan? LastRescanSince(DateTimeOffset since)
    {
        using var connection = database.Open();
        var row = connection.QueryFirstOrDefault<(string Mailbox, string At, string Reason)>(
            """
            SELECT mailbox, rescanned_at, rescan_reason FROM mailbox_checkpoints
            WHERE rescanned_at IS NOT NULL AND rescanned_at >= @since
            ORDER BY rescanned_at DESC LIMIT 1
            """,
            new { since = Instants.Format(since) });
        return row.Mailbox is null ? null : new MailboxRescan(row.Mailbox, Instants.Parse(row.At), row.Reason);
    }

    /// <summary>
    /// Keeps a mail left on the server (too large for the free space) so the checkpoint may pass it: every pass tries
    /// it again. Written before the checkpoint that passes it commits.
    /// </summary>
    public void Skip(MailboxSkip skip)
    {
        using var connection = database.Open();
        connection.Execute(
            """
            INSERT INTO mailbox_skipped (mailbox, uid_validity, uid, size, sender, free_bytes, skipped_at)
            VALUES (@Mailbox, @UidValidity, @Uid, @Size, @Sender, @FreeBytes, @at)
            ON CONFLICT (mailbox, uid_validity, uid) DO UPDATE SET
                size = excluded.size, sender = excluded.sender, free_bytes = excluded.free_bytes, skipped_at = excluded.skipped_at
            """,
            new { skip.Mailbox, skip.UidValidity, skip.Uid, skip.Size, skip.Sender, skip.FreeBytes, at = Instants.Format(skip.At) });
    }

    /// <summary>The mails of <paramref name="mailbox"/> left on the server under <paramref name="uidValidity"/>, by UID.</summary>
    public IReadOnlyList<MailboxSkip> Skipped(string mailbox, long uidValidity)
    {
        using var connection = database.Open();
        return connection.Query<(string Mailbox, long UidValidity, long Uid, long Size, string? Sender, long FreeBytes, string At)>(
            """
            SELECT mailbox, uid_validity, uid, size, sender, free_bytes, skipped_at FROM mailbox_skipped
            WHERE mailbox = @mailbox AND uid_validity = @uidValidity ORDER BY uid
            """,
            new { mailbox, uidValidity })
            .Select(row => new MailboxSkip(row.Mailbox, row.UidValidity, row.Uid, row.Size, row.Sender, row.FreeBytes, Instants.Parse(row.At)))
            .ToList();
    }

    /// <summary>Recorded at last, or gone from the server: no longer tried.</summary>
    public void Unskip(string mailbox, long uidValidity, long uid)
    {
        using var connection = database.Open();
        connection.Execute("DELETE FROM mailbox_skipped WHERE mailbox = @mailbox AND uid_validity = @uidValidity AND uid = @uid", new { mailbox, uidValidity, uid });
    }

    /// <summary>Skips of another UIDVALIDITY mean nothing (the folder is read again from its first UID).</summary>
    public void ForgetSkippedExcept(string mailbox, long uidValidity)
    {
        using var connection = database.Open();
        connection.Execute("DELETE FROM mailbox_skipped WHERE mailbox = @mailbox AND uid_validity <> @uidValidity", new { mailbox, uidValidity });
    }

    /// <summary>Moves the checkpoint forward only: a late or repeated write never moves it back within one UIDVALIDITY.</summary>
    internal static void Save(IDbConnection connection, IDbTransaction? transaction, MailboxCheckpoint checkpoint, DateTimeOffset now) =>
        connection.Execute(
            """
            INSERT INTO mailbox_checkpoints (mailbox, uid_validity, last_uid, updated_at)
            VALUES (@Mailbox, @UidValidity, @LastUid, @now)
            ON CONFLICT (mailbox) DO UPDATE SET
                last_uid = CASE WHEN uid_validity = excluded.uid_validity THEN MAX(last_uid, excluded.last_uid) ELSE excluded.last_uid END,
                uid_validity = excluded.uid_validity,
                updated_at = excluded.updated_at
            """,
            new { checkpoint.Mailbox, checkpoint.UidValidity, checkpoint.LastUid, now = Instants.Format(now) },
            transaction);
}
