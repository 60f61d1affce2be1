using System.Data;
using Dapper;

namespace MailIntake.Storage;

public sealed class MailRepository(Database database)
{
    /// <summary>
    /// Records a received mail unless it is already recorded (same Message-ID, or same raw SHA-256),
    /// and moves the mailbox checkpoint to it in the same transaction: the checkpoint never passes an unrecorded message.
    /// </summary>
    public RecordResult Record(ReceivedMail mail, MailboxCheckpoint? checkpoint)
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        var result = Record(connection, transaction, mail);
        if (checkpoint is not null)
        {
            CheckpointRepository.Save(connection, transaction, checkpoint, mail.ReceivedAt);
        }

        transaction.Commit();
        return result;
    }

    private static RecordResult Record(IDbConnection connection, IDbTransaction transaction, ReceivedMail mail)
    {
        var existing = connection.ExecuteScalar<long?>(
            """
            SELECT id FROM mails
            WHERE sha256 = @sha256 OR (@messageId IS NOT NULL AND message_id = @messageId)
            LIMIT 1
            """,
            new { sha256 = mail.Raw.Sha256, messageId = mail.MessageId },
            transaction);
        if (existing is { } id)
        {
            return new RecordResult(id, IsNew: false);
        }

        var newId = connection.ExecuteScalar<long>(
            """
            INSERT INTO mails (message_id, sha256, raw_path, size, source, received_at, kind)
            VALUES (@messageId, @sha256, @rawPath, @size, @source, @receivedAt, 'received')
            RETURNING id
            """,
            new
            {
                messageId = mail.MessageId,
                sha256 = mail.Raw.Sha256,
                rawPath = mail.Raw.RelativePath,
                size = mail.Raw.Size,
                source = mail.Source,
                receivedAt = Instants.Format(mail.ReceivedAt),
            },
            transaction);
        return new RecordResult(newId, IsNew: true);
    }

    /// <summary>Sets the final kind of a mail that is not a reply (auto-reply, bounce, unmatched, ambiguous…), with its evidence.</summary>
    public void Complete(long mailId, MailOutcome outcome, IReadOnlyList<EvidenceFile> evidence, DateTimeOffset now)
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        Complete(connection, transaction, mailId, outcome, now);
        EvidenceRepository.Replace(connection, transaction, mailId, evidence);
        transaction.Commit();
    }

    internal static void Complete(IDbConnection connection, IDbTransaction transaction, long mailId, MailOutcome outcome, DateTimeOffset now) =>
        connection.Execute(
            """
            UPDATE mails SET kind = @Kind, from_address = @From, subject = @Subject, notice_id = @NoticeId,
                             reason = @Reason, processed_at = @processedAt
            WHERE id = @mailId
            """,
            new { outcome.Kind, outcome.From, outcome.Subject, outcome.NoticeId, outcome.Reason, processedAt = Instants.Format(now), mailId },
            transaction);

    /// <summary>Mails recorded but not yet processed (the worker stopped in between).</summary>
    public IReadOnlyList<MailSummary> ListUnprocessed() => Query("WHERE m.kind = 'received'", new { });

    public IReadOnlyList<MailSummary> List(string? kind) =>
        Query("WHERE (@kind IS NULL OR m.kind = @kind)", new { kind });

    /// <summary>Mails staff must settle: every ambiguous or suspicious one, and unmatched ones received since <paramref name="since"/>.</summary>
    public IReadOnlyList<MailSummary> ListToSettle(DateTimeOffset since) =>
        Query("WHERE m.kind IN ('ambiguous', 'suspicious') OR (m.kind = 'unmatched' AND m.received_at >= @since)", new { since = Instants.Format(since) });

    public MailSummary? Get(long mailId) => Query("WHERE m.id = @mailId", new { mailId }).SingleOrDefault();

    /// <summary>How many mails are of any of the given kinds (a count, not a list: for status).</summary>
    public int CountByKind(params string[] kinds)
    {
        using var connection = database.Open();
        return connection.ExecuteScalar<int>("SELECT COUNT(*) FROM mails WHERE kind IN @kinds", new { kinds });
    }

    public int Count()
    {
        using var connection = database.Open();
        return connection.ExecuteScalar<int>("SELECT COUNT(*) FROM mails");
    }

    private IReadOnlyList<MailSummary> Query(string where, object parameters)
    {
        using var connection = database.Open();
        return connection.Query<MailRow>(
                $"""
                SELECT m.id AS MailId, m.message_id AS MessageId, m.kind AS Kind, m.from_address AS "From",
                       m.subject AS Subject, m.received_at AS ReceivedAt, n.reference AS NoticeRef, m.reason AS Reason,
                       m.raw_path AS RawPath
                FROM mails m LEFT JOIN notices n ON n.id = m.notice_id
                {where}
                ORDER BY m.id
                """,
                parameters)
            .Select(row => row.ToSummary())
            .ToList();
    }

    private sealed record MailRow(
        long MailId, string? MessageId, string Kind, string? From, string? Subject, string ReceivedAt,
        string? NoticeRef, string? Reason, string RawPath)
    {
        public MailSummary ToSummary() =>
            new(MailId, MessageId, Kind, From, Subject, Instants.Parse(ReceivedAt), NoticeRef, Reason, RawPath);
    }
}
