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
