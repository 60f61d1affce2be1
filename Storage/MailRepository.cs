using System.Data;
using Dapper;

namespace MailIntake.Storage;

public sealed class MailRepository(Database database)
{
    /// <summary>
    /// Records a received mail unless it is already recorded, and moves the mailbox checkpoint to it in the same
    /// transaction: the checkpoint never passes an unrecorded message. Already recorded means the same raw bytes
    /// (SHA-256), or the same Message-ID with the same body (another delivery of one message, only its transport
    /// headers differ). A different message that reuses a Message-ID (scanners and copiers do) is recorded as its own
    /// mail, flagged <see cref="MailFlag.MessageIdReused"/>.
    /// </summary>
    public RecordResult Record(ReceivedMail mail, MailboxCheckpoint? checkpoint) => Record([mail], checkpoint)[0];

    /// <summary>
    /// Records a group of received mails (one mailbox FETCH) and the checkpoint past all of them in one transaction: one
    /// commit to the disk for the group. In the order given, as <see cref="Record(ReceivedMail, MailboxCheckpoint?)"/>
    /// would one after another (the same message twice in the group is recorded once).
    /// </summary>
    public IReadOnlyList<RecordResult> Record(IReadOnlyList<ReceivedMail> group, MailboxCheckpoint? checkpoint)
    {
        ArgumentOutOfRangeException.ThrowIfZero(group.Count);
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        var results = group.Select(mail => Record(connection, transaction, mail)).ToList();
        if (checkpoint is not null)
        {
            CheckpointRepository.Save(connection, transaction, checkpoint, group[^1].ReceivedAt);
        }

        transaction.Commit();
        return results;
    }

    private static RecordResult Record(IDbConnection connection, IDbTransaction transaction, ReceivedMail mail)
    {
        var known = connection.Query<(long Id, string Sha256, string? BodySha256, string? MessageSha256)>(
            """
            SELECT id, sha256, body_sha256, message_sha256 FROM mails
            WHERE sha256 = @sha256 OR (@messageId IS NOT NULL AND message_id = @messageId)
               OR (@messageId IS NULL AND message_id IS NULL AND @messageSha256 IS NOT NULL AND message_sha256 = @messageSha256)
            ORDER BY id
            """,
            new { sha256 = mail.Raw.Sha256, messageId = mail.MessageId, messageSha256 = mail.MessageSha256 },
            transaction).ToList();
        // Without a Message-ID, the same author headers (From, To, Cc, Subject, Date…) and body are one message too:
        // another delivery (an alias, a migration that adds lines on top) differs only in its transport headers.
        // Same Message-ID: the same message when its author headers and body are (another delivery differs only in
        // transport headers). A mail recorded before 0013 has no message hash: its body decides, as it did then; one
        // recorded before bodies were hashed has neither: its Message-ID alone decides.
        var same = known.FirstOrDefault(row => row.Sha256 == mail.Raw.Sha256)
            is { Id: > 0 } identical ? identical
            : known.FirstOrDefault(row => row.MessageSha256 is not null && mail.MessageSha256 is not null
                ? row.MessageSha256 == mail.MessageSha256
                : row.BodySha256 is null || row.BodySha256 == mail.BodySha256);
        if (same.Id > 0)
        {
            return same.Sha256 == mail.Raw.Sha256
                ? Resumed(connection, transaction, same.Id, ReviveSql + " AND sha256 = @sha256", new { mailId = same.Id, sha256 = mail.Raw.Sha256 })
                : Resumed(connection, transaction, same.Id, HealWithCopySql, new
                {
                    mailId = same.Id,
                    sha256 = mail.Raw.Sha256,
                    rawPath = mail.Raw.RelativePath,
                    size = mail.Raw.Size,
                    bodySha256 = mail.BodySha256,
                    messageSha256 = mail.MessageSha256,
                }) with { ReplacedRawPath = StoreVerifier.IsSha256(same.Sha256) ? StoreVerifier.RawPath(same.Sha256) : null };
        }

        var newId = connection.ExecuteScalar<long>(
            """
            INSERT INTO mails (message_id, sha256, body_sha256, message_sha256, raw_path, size, source, received_at, kind, flags, carried_arrival)
            VALUES (@messageId, @sha256, @bodySha256, @messageSha256, @rawPath, @size, @source, @receivedAt, @kind, @flags, @carriedArrival)
            RETURNING id
            """,
            new
            {
                messageId = mail.MessageId,
                sha256 = mail.Raw.Sha256,
                bodySha256 = mail.BodySha256,
                messageSha256 = mail.MessageSha256,
                rawPath = mail.Raw.RelativePath,
                size = mail.Raw.Size,
                source = mail.Source,
                receivedAt = Instants.Format(mail.ReceivedAt),
                carriedArrival = mail.CarriedArrival is { } carried ? Instants.Format(carried) : null,
                kind = StoredCodes.Text(MailKind.Received),
                flags = known.Count > 0 ? MailFlag.MessageIdReused : string.Empty,
            },
            transaction);
        return new RecordResult(newId, IsNew: true);
    }

    /// <summary>
    /// Another delivery of a recorded mail. When that mail is damaged (its raw file was missing or altered), this copy
    /// makes it whole: the same raw bytes stored afresh, or the same message under other transport headers (another
    /// Received, a Resent- block), which then becomes its raw file. A reply already filed is a reply again; any other
    /// mail goes back to be processed.
    /// </summary>
    private static RecordResult Resumed(IDbConnection connection, IDbTransaction transaction, long mailId, string sql, object parameters)
    {
        if (connection.Execute(sql, parameters, transaction) == 0)
        {
            return new RecordResult(mailId, IsNew: false);
        }

        var kind = connection.ExecuteScalar<string>("SELECT kind FROM mails WHERE id = @mailId", new { mailId }, transaction);
        return new RecordResult(mailId, IsNew: false) { Healed = true, ToProcess = kind == StoredCodes.Text(MailKind.Received) };
    }

    private const string HealWithCopySql =
        """
        UPDATE mails SET kind = CASE WHEN EXISTS (SELECT 1 FROM replies r WHERE r.mail_id = mails.id) THEN 'reply' ELSE 'received' END,
                         reason = NULL, next_attempt_at = NULL, sha256 = @sha256, raw_path = @rawPath, size = @size,
                         body_sha256 = @bodySha256, message_sha256 = @messageSha256
        WHERE id = @mailId AND kind = 'damaged'
        """;

    /// <summary>
    /// A damaged mail whose raw file holds its recorded bytes again (restored from a backup): a reply already filed
    /// is a reply again (filing it twice would double its timeline); any other mail goes back to be processed. True
    /// when it is to be processed.
    /// </summary>
    public bool Revive(long mailId)
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        connection.Execute(ReviveSql, new { mailId }, transaction);
        var kind = connection.ExecuteScalar<string>("SELECT kind FROM mails WHERE id = @mailId", new { mailId }, transaction);
        transaction.Commit();
        return kind == StoredCodes.Text(MailKind.Received);
    }

    private const string ReviveSql =
        """
        UPDATE mails SET kind = CASE WHEN EXISTS (SELECT 1 FROM replies r WHERE r.mail_id = mails.id) THEN 'reply' ELSE 'received' END,
                         reason = NULL, next_attempt_at = NULL
        WHERE id = @mailId AND kind = 'damaged'
        """;

    /// <summary>
    /// A passing error stopped processing (I/O, a busy database, the send path): the mail keeps every row it has,
    /// stays to be processed, and is tried again at <paramref name="retryAt"/>; after <paramref name="failedAfter"/>
    /// attempts it is shown as failed (and still retried). The sender and subject, when the message could be read, are
    /// kept for the lists staff read (a failing mail is otherwise nameless until it is processed).
    /// </summary>
    public void RecordFailure(long mailId, string error, string reason, DateTimeOffset retryAt, int failedAfter, string? from = null, string? subject = null)
    {
        using var connection = database.Open();
        connection.Execute(
            """
            UPDATE mails SET attempts = attempts + 1, last_error = @error, reason = @reason, next_attempt_at = @retryAt,
                             kind = CASE WHEN attempts + 1 >= @failedAfter THEN 'failed' ELSE 'received' END,
                             from_address = COALESCE(from_address, @from), subject = COALESCE(subject, @subject)
            WHERE id = @mailId
            """,
            new { mailId, error, reason, retryAt = Instants.Format(retryAt), failedAfter, from, subject });
    }

    /// <summary>True when a mail row records a raw mail of this SHA-256.</summary>
    public bool IsContentRecorded(string sha256)
    {
        using var connection = database.Open();
        return connection.ExecuteScalar<bool>("SELECT EXISTS (SELECT 1 FROM mails WHERE sha256 = @sha256)", new { sha256 });
    }

    /// <summary>The first mail row that records a raw mail of this SHA-256; null when none does.</summary>
    public long? FirstIdOfContent(string sha256)
    {
        using var connection = database.Open();
        return connection.ExecuteScalar<long?>("SELECT MIN(id) FROM mails WHERE sha256 = @sha256", new { sha256 });
    }

    /// <summary>When the mail reached the mailbox (its recorded arrival), or null when no such mail is recorded.</summary>
    public DateTimeOffset? ArrivalOf(long mailId)
    {
        using var connection = database.Open();
        return Instants.ParseOrNull(connection.ExecuteScalar<string?>("SELECT received_at FROM mails WHERE id = @mailId", new { mailId }));
    }

    /// <summary>The latest arrival among the mails of id up to <paramref name="mailId"/>; null when there are none.</summary>
    public DateTimeOffset? NewestArrivalUpTo(long mailId)
    {
        using var connection = database.Open();
        return Instants.ParseOrNull(connection.ExecuteScalar<string?>("SELECT MAX(received_at) FROM mails WHERE id <= @mailId", new { mailId }));
    }

    /// <summary>True when a mail of id up to <paramref name="mailId"/> was recorded from a source starting with <paramref name="sourcePrefix"/>.</summary>
    public bool AnyFromUpTo(string sourcePrefix, long mailId)
    {
        using var connection = database.Open();
        return connection.ExecuteScalar<bool>(
            "SELECT EXISTS (SELECT 1 FROM mails WHERE id <= @mailId AND substr(source, 1, length(@sourcePrefix)) = @sourcePrefix)", new { sourcePrefix, mailId });
    }

    /// <summary>Where the mail was recorded from (<c>imap:…</c>, <c>folder:NAME</c>, …); null for no such mail.</summary>
    public string? SourceOf(long mailId)
    {
        using var connection = database.Open();
        return connection.ExecuteScalar<string?>("SELECT source FROM mails WHERE id = @mailId", new { mailId });
    }

    /// <summary>When the mail reached the mailbox (its recorded arrival), read inside <paramref name="session"/>; null for no such mail.</summary>
    public static DateTimeOffset? ArrivalOf(StorageSession session, long mailId) =>
        Instants.ParseOrNull(session.Connection.ExecuteScalar<string?>("SELECT received_at FROM mails WHERE id = @mailId", new { mailId }, session.Transaction));

    /// <summary>
    /// The mail's earliest known arrival — the time it carried, when it was dated later (<see cref="MailSummary.CarriedArrival"/>:
    /// <c>Carried</c> true), else its recorded arrival — and the issue of the notice
    /// <paramref name="reference"/>; null when either is unknown.
    /// </summary>
    public (DateTimeOffset Arrival, DateTimeOffset Issued, bool Carried)? ArrivalAndIssue(long mailId, string reference)
    {
        using var connection = database.Open();
        var row = connection.QuerySingleOrDefault<(string? Arrival, string? Carried, string? Issued)>(
            """
            SELECT (SELECT received_at FROM mails WHERE id = @mailId), (SELECT carried_arrival FROM mails WHERE id = @mailId),
                   (SELECT issued_at FROM notices WHERE reference = @reference)
            """,
            new { mailId, reference });
        var carried = Instants.ParseOrNull(row.Carried);
        return (carried ?? Instants.ParseOrNull(row.Arrival)) is { } arrival && Instants.ParseOrNull(row.Issued) is { } issued
            ? (arrival, issued, carried is not null)
            : null;
    }

    /// <summary>
    /// Dates the mail's arrival <paramref name="at"/> instead (see <c>RecordReply</c>: never before the notice it is filed
    /// under), keeping the arrival it carried as <see cref="MailSummary.CarriedArrival"/> (the earliest one, if re-dated again).
    /// </summary>
    public static void Redate(StorageSession session, long mailId, DateTimeOffset at) =>
        session.Connection.Execute(
            "UPDATE mails SET carried_arrival = coalesce(carried_arrival, received_at), received_at = @at WHERE id = @mailId",
            new { mailId, at = Instants.Format(at) },
            session.Transaction);

    /// <summary>Where the mail was recorded from, read inside <paramref name="session"/>; null for no such mail.</summary>
    public static string? SourceOf(StorageSession session, long mailId) =>
        session.Connection.ExecuteScalar<string?>("SELECT source FROM mails WHERE id = @mailId", new { mailId }, session.Transaction);

    /// <summary>True when a mail row keeps its raw bytes at this path.</summary>
    public bool IsRawRecorded(string relativePath)
    {
        using var connection = database.Open();
        return connection.ExecuteScalar<bool>("SELECT EXISTS (SELECT 1 FROM mails WHERE raw_path = @relativePath)", new { relativePath });
    }

    /// <summary>
    /// Whether the message a mailbox names <paramref name="source"/> now is the one recorded from there: null when that
    /// cannot be told (nothing was recorded from there — it was another delivery of a recorded mail — and the message has
    /// no Message-ID); otherwise true when a mail recorded from there has its Message-ID (or, without one, its size), or
    /// any mail has its Message-ID.
    /// </summary>
    public bool? IsRecordedFrom(string source, string? messageId, long size)
    {
        using var connection = database.Open();
        var recorded = connection.Query<(string? MessageId, long Size)>(
            "SELECT message_id, size FROM mails WHERE source = @source", new { source }).ToList();
        if (recorded.Count > 0)
        {
            return recorded.Any(row => messageId is not null ? row.MessageId == messageId : row.MessageId is null && row.Size == size);
        }

        return messageId is null
            ? null
            : connection.ExecuteScalar<bool>("SELECT EXISTS (SELECT 1 FROM mails WHERE message_id = @messageId)", new { messageId });
    }

    /// <summary>Failed attempts so far for one mail.</summary>
    public int Attempts(long mailId)
    {
        using var connection = database.Open();
        return connection.ExecuteScalar<int>("SELECT attempts FROM mails WHERE id = @mailId", new { mailId });
    }

    /// <summary>The raw file is missing or altered: the mail is set aside with the reason, and intake goes on.</summary>
    public void MarkDamaged(long mailId, string reason, DateTimeOffset now)
    {
        using var connection = database.Open();
        connection.Execute(
            "UPDATE mails SET kind = 'damaged', reason = @reason, processed_at = @now WHERE id = @mailId",
            new { mailId, reason, now = Instants.Format(now) });
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

    /// <summary>
    /// Mails recorded but not yet processed (the worker stopped in between, or a passing error stopped their
    /// processing) whose retry is due at <paramref name="now"/>; null: every one, whatever its backoff. A retry time
    /// further ahead than <paramref name="longestBackoff"/> was set by a clock that was ahead then (a bad NTP step, a VM
    /// restored with a wrong clock): it is due now, or the mail would wait as long as the clock was wrong.
    /// </summary>
    public IReadOnlyList<MailSummary> ListUnprocessed(DateTimeOffset? now = null, TimeSpan? longestBackoff = null) =>
        Query(
            """
            WHERE m.kind IN ('received', 'failed')
              AND (@now IS NULL OR m.next_attempt_at IS NULL OR m.next_attempt_at <= @now OR (@latest IS NOT NULL AND m.next_attempt_at > @latest))
            """,
            new
            {
                now = now is { } at ? Instants.Format(at) : null,
                latest = now is { } from && longestBackoff is { } longest ? Instants.Format(from + longest) : null,
            });

    /// <summary>The earliest retry time of a mail recorded but not yet processed (see <see cref="ListUnprocessed"/>); null when none waits.</summary>
    public DateTimeOffset? NextRetryAt()
    {
        using var connection = database.Open();
        var at = connection.ExecuteScalar<string?>("SELECT MIN(next_attempt_at) FROM mails WHERE kind IN ('received', 'failed') AND next_attempt_at IS NOT NULL");
        return at is null ? null : Instants.Parse(at);
    }

    public IReadOnlyList<MailSummary> List(MailKind? kind) =>
        Query("WHERE (@kind IS NULL OR m.kind = @kind)", new { kind = kind is { } value ? StoredCodes.Text(value) : null });

    /// <summary>
    /// Delivery reports received or processed since <paramref name="since"/> that could not be tied to one mail of ours (the
    /// report names a recipient that got several notices' mails and returns no Message-ID): the address may be dead. A
    /// report read late keeps its true, earlier arrival (the worker was down): it is new by when it was processed.
    /// </summary>
    public IReadOnlyList<MailSummary> ListUntiedBouncesSince(DateTimeOffset since) =>
        Query("WHERE m.kind = @bounce AND m.notice_id IS NULL AND (m.received_at >= @since OR m.processed_at >= @since)",
            new { bounce = StoredCodes.Text(MailKind.Bounce), since = Instants.Format(since) });

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

    /// <summary>
    /// When the earliest mail from one of <paramref name="addresses"/> that is held for staff (unmatched, ambiguous or
    /// suspicious, not yet assigned or dismissed) or still waits on the center's own fault (received or failed, its sender read before the
    /// failure) arrived; null when none is. The organisation wrote to us: we must not say it did not.
    /// </summary>
    public static DateTimeOffset? HeldSince(StorageSession session, IReadOnlyCollection<string> addresses) =>
        addresses.Count == 0
            ? null
            : Instants.ParseOrNull(session.Connection.ExecuteScalar<string?>(
                "SELECT MIN(received_at) FROM mails WHERE kind IN @kinds AND dismissed_at IS NULL AND lower(from_address) IN @addresses",
                new { kinds = (string[])[.. ToSettleKinds, .. PendingKinds], addresses = Lowered(addresses) },
                session.Transaction));

    /// <summary>
    /// Mails held for staff (unmatched, ambiguous or suspicious, not yet assigned or dismissed) whose subject names
    /// <paramref name="reference"/> as people write it (<see cref="Parsing.NoticeReference"/>), oldest first: possibly the
    /// organisation's reply from an address it never registered. Few mails wait unsettled, so the subject is read here.
    /// </summary>
    public static IReadOnlyList<MailSummary> ListToSettleNaming(StorageSession session, string reference) =>
        Naming(Query(session.Connection, session.Transaction, ToSettleNamingWhere, new { kinds = ToSettleKinds }), reference);

    /// <inheritdoc cref="ListToSettleNaming(StorageSession, string)"/>
    public IReadOnlyList<MailSummary> ListToSettleNaming(string reference) => Naming(Query(ToSettleNamingWhere, new { kinds = ToSettleKinds }), reference);

    /// <summary>
    /// Mails still waiting on the center's own fault (received or failed: their processing failed and is retried; damaged:
    /// the raw file lost, not dismissed) whose sender or subject was read before, oldest first: a reply may be among them.
    /// </summary>
    public static IReadOnlyList<MailSummary> ListPendingRead(StorageSession session) =>
        Query(session.Connection, session.Transaction, PendingReadWhere, new { kinds = PendingKinds });

    /// <summary>
    /// Mails held for staff (unmatched, ambiguous or suspicious — a typo naming another organisation's notice, h33h S4 — not
    /// yet assigned or dismissed) from one of <paramref name="addresses"/>, oldest first.
    /// </summary>
    public static IReadOnlyList<MailSummary> ListHeldFrom(StorageSession session, IReadOnlyCollection<string> addresses) =>
        addresses.Count == 0 ? []
        : Query(session.Connection, session.Transaction, "WHERE m.kind IN @kinds AND m.dismissed_at IS NULL AND lower(m.from_address) IN @addresses",
            new { kinds = ToSettleKinds, addresses = Lowered(addresses) });

    private static List<string> Lowered(IEnumerable<string> addresses) => addresses.Select(address => address.ToLowerInvariant()).ToList();

    // A damaged mail whose sender and subject were read before its raw file was lost waits on the center too (h32h R16).
    private static string[] PendingKinds => [StoredCodes.Text(MailKind.Received), StoredCodes.Text(MailKind.Failed), StoredCodes.Text(MailKind.Damaged)];

    private const string PendingReadWhere = "WHERE m.kind IN @kinds AND m.dismissed_at IS NULL AND (m.from_address IS NOT NULL OR m.subject IS NOT NULL)";

    private const string ToSettleNamingWhere = "WHERE m.kind IN @kinds AND m.dismissed_at IS NULL AND m.subject IS NOT NULL";

    private static IReadOnlyList<MailSummary> Naming(IEnumerable<MailSummary> mails, string reference) =>
        mails.Where(mail => Parsing.NoticeReference.FindAll(mail.Subject).Contains(reference, StringComparer.Ordinal)).ToList();

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
            new { mailId, at = Instants.Format(dismissal.At), dismissal.By, dismissal.Reason, kinds = ToSettleKinds.Append(StoredCodes.Text(MailKind.Damaged)).ToArray() },
            session.Transaction) == 1;

    /// <summary>Damaged mails staff have not dismissed (a raw file no backup holds is settled by dismissing its mail).</summary>
    public int CountDamagedUndismissed()
    {
        using var connection = database.Open();
        return connection.ExecuteScalar<int>("SELECT COUNT(*) FROM mails WHERE kind = 'damaged' AND dismissed_at IS NULL");
    }

    /// <summary>
    /// Mails whose processing failed at least once and is waiting for its retry (<c>received</c> with a failed attempt; the
    /// ones that failed again and again are <c>failed</c>): the raw mail is kept, it is not filed yet.
    /// </summary>
    public int CountRetrying()
    {
        using var connection = database.Open();
        return connection.ExecuteScalar<int>("SELECT COUNT(*) FROM mails WHERE kind = 'received' AND attempts > 0");
    }

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
                       m.dismissed_reason AS DismissedReason, m.sha256 AS Sha256, m.size AS Size, m.flags AS Flags,
                       m.carried_arrival AS CarriedArrival, n.issued_at AS NoticeIssuedAt
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
        string? NoticeRef, string? Reason, string RawPath, string? DismissedBy, string? DismissedAt, string? DismissedReason,
        string Sha256, long Size, string Flags, string? CarriedArrival, string? NoticeIssuedAt)
    {
        /// <summary>
        /// Only ever the store's own <c>raw/xx/SHA-256.eml</c>: a row edited to name another file (<c>..</c>, an absolute
        /// path) is never opened through it (store verify reports the row); a row without a SHA-256 names nothing.
        /// </summary>
        private string OwnRawPath => StoreVerifier.IsSha256(Sha256) ? StoreVerifier.RawPath(Sha256) : "raw/(no-sha256)";

        public MailSummary ToSummary() =>
            new(MailId, MessageId, StoredCodes.MailKindOf(Kind), From, Subject, Instants.Parse(ReceivedAt), NoticeRef, Reason, OwnRawPath,
                DismissedAt is null ? null : new MailDismissal(DismissedBy ?? "", Instants.Parse(DismissedAt), DismissedReason ?? ""))
            {
                Raw = new StoredFile(OwnRawPath, Sha256, Size),
                Flags = Flags.Split(',', StringSplitOptions.RemoveEmptyEntries),
                CarriedArrival = Instants.ParseOrNull(CarriedArrival),
                NoticeIssuedAt = Instants.ParseOrNull(NoticeIssuedAt),
            };
    }
}
