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
            VALUES (@messageId, @sha256, @rawPath, @size, @source, @receivedAt, @kind)
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
                kind = StoredCodes.Text(MailKind.Received),
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

    public static void Complete(StorageSession session, long mailId, MailOutcome outcome, DateTimeOffset now) =>
        Complete(session.Connection, session.Transaction, mailId, outcome, now);

    internal static void Complete(IDbConnection connection, IDbTransaction transaction, long mailId, MailOutcome outcome, DateTimeOffset now) =>
        connection.Execute(
            """
            UPDATE mails SET kind = @Kind, from_address = @From, subject = @Subject, notice_id = @NoticeId,
                             reason = @Reason, processed_at = @processedAt
            WHERE id = @mailId
            """,
            new { Kind = StoredCodes.Text(outcome.Kind), outcome.From, outcome.Subject, outcome.NoticeId, outcome.Reason, processedAt = Instants.Format(now), mailId },
            transaction);

    /// <summary>Mails recorded but not yet processed (the worker stopped in between).</summary>
    public IReadOnlyList<MailSummary> ListUnprocessed() => Query("WHERE m.kind = @kind", new { kind = StoredCodes.Text(MailKind.Received) });

    public IReadOnlyList<MailSummary> List(MailKind? kind) =>
        Query("WHERE (@kind IS NULL OR m.kind = @kind)", new { kind = kind is { } value ? StoredCodes.Text(value) : null });

    private static string[] ToSettleKinds => [StoredCodes.Text(MailKind.Unmatched), StoredCodes.Text(MailKind.Ambiguous), StoredCodes.Text(MailKind.Suspicious)];

    /// <summary>Mails staff must settle: every unmatched, ambiguous or suspicious mail not yet assigned or dismissed, however old.</summary>
    public IReadOnlyList<MailSummary> ListToSettle() =>
        Query("WHERE m.kind IN @kinds AND m.dismissed_at IS NULL", new { kinds = ToSettleKinds });

    /// <summary>How many mails wait for staff to settle them (the same rule as <see cref="ListToSettle"/>, as a count).</summary>
    public int CountToSettle()
    {
        using var connection = database.Open();
        return connection.ExecuteScalar<int>("SELECT COUNT(*) FROM mails WHERE kind IN @kinds AND dismissed_at IS NULL", new { kinds = ToSettleKinds });
    }

    public MailSummary? Get(long mailId) => Query("WHERE m.id = @mailId", new { mailId }).SingleOrDefault();

    public static MailSummary? Get(StorageSession session, long mailId) =>
        Query(session.Connection, session.Transaction, "WHERE m.id = @mailId", new { mailId }).SingleOrDefault();

    /// <summary>Settles a mail that needs no notice, only if it is still unsettled: false when it was settled meanwhile.</summary>
    public static bool Dismiss(StorageSession session, long mailId, MailDismissal dismissal) =>
        session.Connection.Execute(
            """
            UPDATE mails SET dismissed_at = @at, dismissed_by = @By, dismissed_reason = @Reason
            WHERE id = @mailId AND dismissed_at IS NULL AND kind IN @kinds
            """,
            new { mailId, at = Instants.Format(dismissal.At), dismissal.By, dismissal.Reason, kinds = ToSettleKinds },
            session.Transaction) == 1;

    /// <summary>How many mails are of any of the given kinds (a count, not a list: for status).</summary>
    public int CountByKind(params MailKind[] kinds)
    {
        using var connection = database.Open();
        return connection.ExecuteScalar<int>("SELECT COUNT(*) FROM mails WHERE kind IN @kinds", new { kinds = kinds.Select(StoredCodes.Text).ToArray() });
    }

    public int Count()
    {
        using var connection = database.Open();
        return connection.ExecuteScalar<int>("SELECT COUNT(*) FROM mails");
    }

    private IReadOnlyList<MailSummary> Query(string where, object parameters)
    {
        using var connection = database.Open();
        return Query(connection, null, where, parameters);
    }

    private static IReadOnlyList<MailSummary> Query(IDbConnection connection, IDbTransaction? transaction, string where, object parameters) =>
        connection.Query<MailRow>(
                $"""
                SELECT m.id AS MailId, m.message_id AS MessageId, m.kind AS Kind, m.from_address AS "From",
                       m.subject AS Subject, m.received_at AS ReceivedAt, n.reference AS NoticeRef, m.reason AS Reason,
                       m.raw_path AS RawPath, m.dismissed_by AS DismissedBy, m.dismissed_at AS DismissedAt,
                       m.dismissed_reason AS DismissedReason
                FROM mails m LEFT JOIN notices n ON n.id = m.notice_id
                {where}
                ORDER BY m.id
                """,
                parameters,
                transaction)
            .Select(row => row.ToSummary())
            .ToList();

    private sealed record MailRow(
        long MailId, string? MessageId, string Kind, string? From, string? Subject, string ReceivedAt,
        string? NoticeRef, string? Reason, string RawPath, string? DismissedBy, string? DismissedAt, string? DismissedReason)
    {
        public MailSummary ToSummary() =>
            new(MailId, MessageId, StoredCodes.MailKindOf(Kind), From, Subject, Instants.Parse(ReceivedAt), NoticeRef, Reason, RawPath,
                DismissedAt is null ? null : new MailDismissal(DismissedBy ?? "", Instants.Parse(DismissedAt), DismissedReason ?? ""));
    }
}
