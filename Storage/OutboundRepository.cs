using System.Data;
using Dapper;

namespace MailIntake.Storage;

public sealed record OutboundMail(
    long Id,
    OutboundKind Kind,
    long? NoticeId,
    IReadOnlyList<string> To,
    string Subject,
    string IdempotencyKey,
    string MessageId,
    string MimePath,
    OutboundStatus Status,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    string? LastError,
    DateTimeOffset? SentAt,
    IReadOnlyList<string> BouncedTo)
{
    /// <summary>The message file's SHA-256 and size as written; null for a mail queued before they were recorded (unchecked).</summary>
    public StoredFile? Mime { get; init; }

    /// <summary>The notice's state it was written for (<see cref="NoticeRepository.State"/>); null when not kept (sent as written).</summary>
    public string? NoticeState { get; init; }

    /// <summary>The follow-up round an extension mail announces; null for every other mail.</summary>
    public int? FollowUpRound { get; init; }

    /// <summary>The reply mail a receipt answers or a phone prompt asks about; null for every other mail.</summary>
    public long? ReplyMailId { get; init; }

    /// <summary>The deadline a reminder or an overdue note was queued for; null for every other mail.</summary>
    public DateOnly? Deadline { get; init; }

    /// <summary>How many days before its deadline a reminder was due (its configured offset); null for every other mail.</summary>
    public int? DaysBefore { get; init; }

    /// <summary>Some recipient bounced, not all: the mail reached the others (its status stays sent).</summary>
    public bool PartlyBounced => Status != OutboundStatus.Bounced && BouncedTo.Count > 0;
}

public sealed record NewOutboundMail(OutboundKind Kind, long? NoticeId, IReadOnlyList<string> To, string Subject, string IdempotencyKey, string MessageId, string MimePath)
{
    /// <summary>The message file as written (its SHA-256 and size), checked again before it is sent.</summary>
    public StoredFile? Mime { get; init; }

    /// <summary>The notice's state the mail was written for, when what it says depends on it (a reminder, a receipt).</summary>
    public string? NoticeState { get; init; }

    /// <summary>The follow-up round an extension mail announces.</summary>
    public int? FollowUpRound { get; init; }

    /// <summary>The reply mail a receipt answers or a phone prompt asks about.</summary>
    public long? ReplyMailId { get; init; }

    /// <summary>The deadline a reminder or an overdue note is queued for.</summary>
    public DateOnly? Deadline { get; init; }

    /// <summary>How many days before its deadline a reminder is due.</summary>
    public int? DaysBefore { get; init; }
}

public sealed class OutboundRepository(Database database)
{
    private const string Select = """
        SELECT id AS Id, kind AS Kind, notice_id AS NoticeId, recipients AS Recipients, subject AS Subject,
               idempotency_key AS IdempotencyKey, message_id AS MessageId, mime_path AS MimePath, status AS Status,
               attempts AS Attempts, next_attempt_at AS NextAttemptAt, last_error AS LastError, sent_at AS SentAt,
               bounced_to AS BouncedTo, mime_sha256 AS MimeSha256, mime_size AS MimeSize, notice_state AS NoticeState,
               follow_up_round AS FollowUpRound, reply_mail_id AS ReplyMailId, deadline AS Deadline, days_before AS DaysBefore
        FROM outbound
        """;

    /// <summary>
    /// Queues a mail inside the caller's session unless one with the same idempotency key exists; returns whether it was
    /// queued now. The timeline event (when given) lands with it.
    /// </summary>
    public static bool Queue(StorageSession session, NewOutboundMail mail, DateTimeOffset now, string? timelineDetail, TimelineEvent timelineEvent = TimelineEvent.Queued)
    {
        var inserted = session.Connection.Execute(
            """
            INSERT INTO outbound (kind, notice_id, recipients, subject, idempotency_key, message_id, mime_path, mime_sha256, mime_size, notice_state, follow_up_round,
                                  reply_mail_id, deadline, days_before, status, next_attempt_at, created_at)
            VALUES (@kind, @NoticeId, @recipients, @Subject, @IdempotencyKey, @MessageId, @MimePath, @mimeSha256, @mimeSize, @NoticeState, @FollowUpRound,
                    @ReplyMailId, @deadline, @DaysBefore, @queued, @now, @now)
            ON CONFLICT (idempotency_key) DO NOTHING
            """,
            new
            {
                kind = StoredCodes.Text(mail.Kind), mail.NoticeId, recipients = string.Join(',', mail.To), mail.Subject, mail.IdempotencyKey,
                mail.MessageId, mail.MimePath, mimeSha256 = mail.Mime?.Sha256, mimeSize = mail.Mime?.Size, mail.NoticeState, mail.FollowUpRound,
                mail.ReplyMailId, deadline = mail.Deadline is { } deadline ? Instants.FormatDate(deadline) : null, mail.DaysBefore,
                queued = StoredCodes.Text(OutboundStatus.Queued), now = Instants.Format(now),
            },
            session.Transaction) > 0;
        if (inserted && mail.NoticeId is { } noticeId && timelineDetail is not null)
        {
            TimelineRepository.Add(session, noticeId, now, timelineEvent, timelineDetail);
        }

        return inserted;
    }

    public bool Exists(string idempotencyKey)
    {
        using var connection = database.Open();
        return Exists(connection, null, idempotencyKey);
    }

    public static bool Exists(StorageSession session, string idempotencyKey) => Exists(session.Connection, session.Transaction, idempotencyKey);

    private static bool Exists(IDbConnection connection, IDbTransaction? transaction, string idempotencyKey) =>
        connection.ExecuteScalar<long>("SELECT COUNT(*) FROM outbound WHERE idempotency_key = @idempotencyKey", new { idempotencyKey }, transaction) > 0;

    public IReadOnlyList<OutboundMail> ListForNotice(long noticeId) => Query("WHERE notice_id = @noticeId ORDER BY id", new { noticeId });

    public static IReadOnlyList<OutboundMail> ListForNotice(StorageSession session, long noticeId) =>
        session.Connection.Query<OutboundRow>($"{Select} WHERE notice_id = @noticeId ORDER BY id", new { noticeId }, session.Transaction).Select(row => row.ToMail()).ToList();

    /// <summary>
    /// Queued mails whose next attempt is due at <paramref name="now"/>. A next attempt (a retry's backoff, a claim's
    /// lease) later than <paramref name="stampedAheadAfter"/> — the real clock plus the longest backoff — was set by a
    /// clock that was ahead then (a bad NTP step, a VM restored with a wrong clock): it is due now, or the mail would wait
    /// as long as the clock was wrong (h19h H2).
    /// </summary>
    public IReadOnlyList<OutboundMail> ListDue(DateTimeOffset now, DateTimeOffset? stampedAheadAfter = null) =>
        Query($"WHERE status = @queued AND {DueNow} ORDER BY id", DueParameters(now, stampedAheadAfter));

    private const string DueNow = "(next_attempt_at <= @now OR (@latest IS NOT NULL AND next_attempt_at > @latest))";

    private static DynamicParameters DueParameters(DateTimeOffset now, DateTimeOffset? stampedAheadAfter)
    {
        var parameters = new DynamicParameters();
        parameters.Add("now", Instants.Format(now));
        parameters.Add("latest", stampedAheadAfter is { } latest ? Instants.Format(latest) : null);
        parameters.Add("queued", StoredCodes.Text(OutboundStatus.Queued));
        return parameters;
    }

    public IReadOnlyList<OutboundMail> ListByStatus(OutboundStatus status) => Query("WHERE status = @status ORDER BY id", new { status = StoredCodes.Text(status) });

    public OutboundMail? FindByMessageId(string messageId) => Query("WHERE message_id = @messageId", new { messageId }).SingleOrDefault();

    /// <summary>
    /// Takes a due mail for one sender: moves its next attempt past a lease, only if it is still queued and due.
    /// Two runs (the worker's schedule and a CLI <c>jobs run outbox</c>) can then never send the same row at once;
    /// a sender that dies holding the lease leaves the mail to be retried at the next send pass once its process is gone
    /// (<see cref="ReleaseDeadClaims"/>), or when the lease runs out: the claim names its process (<paramref name="claimant"/>,
    /// <see cref="ProcessIdentity"/>). A lease stamped further ahead than <paramref name="stampedAheadAfter"/> was taken by a
    /// clock that was ahead and holds nothing (see <see cref="ListDue"/>).
    /// </summary>
    public bool TryClaim(OutboundMail mail, DateTimeOffset now, DateTimeOffset leaseUntil, DateTimeOffset? stampedAheadAfter = null, string? claimant = null)
    {
        using var connection = database.Open();
        var parameters = DueParameters(now, stampedAheadAfter);
        parameters.Add("Id", mail.Id);
        parameters.Add("leaseUntil", Instants.Format(leaseUntil));
        parameters.Add("claimant", claimant ?? ProcessIdentity.Current);
        return connection.Execute(
            $"""
            UPDATE outbound SET next_attempt_at = @leaseUntil, claimed_by = @claimant, claimed_until = @leaseUntil
            WHERE id = @Id AND status = @queued AND {DueNow}
            """,
            parameters) == 1;
    }

    /// <summary>
    /// Makes due at <paramref name="now"/> the queued mails whose claim is still held (their next attempt is the lease
    /// the claim set, not yet run out) by a process that no longer runs: a sender killed mid-send. They would otherwise
    /// wait out the lease (h11x F7). A mail it may have handed to the server already goes again, as it would have when the
    /// lease ran out. Returns how many were released.
    /// </summary>
    public int ReleaseDeadClaims(DateTimeOffset now)
    {
        using var connection = database.Open();
        var queued = StoredCodes.Text(OutboundStatus.Queued);
        var claims = connection.Query<(long Id, string ClaimedBy, string ClaimedUntil)>(
                """
                SELECT id, claimed_by, claimed_until FROM outbound
                WHERE status = @queued AND claimed_by IS NOT NULL AND next_attempt_at = claimed_until AND next_attempt_at > @now
                """,
                new { queued, now = Instants.Format(now) })
            .ToList();
        var running = new Dictionary<string, bool>(StringComparer.Ordinal);
        var released = 0;
        foreach (var claim in claims)
        {
            if (running.TryGetValue(claim.ClaimedBy, out var alive) ? alive : running[claim.ClaimedBy] = ProcessIdentity.IsRunning(claim.ClaimedBy))
            {
                continue;
            }

            // Only if no sender took it meanwhile (a new claim, a failure's backoff): the same claimant and lease.
            released += connection.Execute(
                """
                UPDATE outbound SET next_attempt_at = @now, claimed_by = NULL, claimed_until = NULL
                WHERE id = @Id AND status = @queued AND claimed_by = @ClaimedBy AND claimed_until = @ClaimedUntil AND next_attempt_at = claimed_until
                """,
                new { claim.Id, claim.ClaimedBy, claim.ClaimedUntil, queued, now = Instants.Format(now) });
        }

        return released;
    }

    /// <summary>Records the server's acceptance; the timeline says so in the same transaction.</summary>
    public void MarkSent(OutboundMail mail, DateTimeOffset now, string timelineDetail)
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        connection.Execute(
            "UPDATE outbound SET status = @sent, sent_at = @now, attempts = attempts + 1, last_error = NULL WHERE id = @Id",
            new { mail.Id, now = Instants.Format(now), sent = StoredCodes.Text(OutboundStatus.Sent) },
            transaction);
        if (mail.NoticeId is { } noticeId)
        {
            TimelineRepository.Add(connection, transaction, noticeId, now, TimelineEvent.Sent, timelineDetail);
        }

        database.Advance(connection, transaction);
        transaction.Commit();
    }

    /// <summary>The notice's state now, to compare with the one a queued mail was written for.</summary>
    public string NoticeStateNow(long noticeId)
    {
        using var session = database.BeginRead();
        return NoticeRepository.State(session, noticeId);
    }

    /// <summary>
    /// Withdraws a claimed mail before it is sent (it is never sent): only while it is still queued; the timeline says why.
    /// </summary>
    public bool Withdraw(OutboundMail mail, DateTimeOffset now, string timelineDetail)
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        var withdrawn = connection.Execute(
            "UPDATE outbound SET status = @withdrawn, last_error = NULL WHERE id = @Id AND status = @queued",
            new { mail.Id, withdrawn = StoredCodes.Text(OutboundStatus.Withdrawn), queued = StoredCodes.Text(OutboundStatus.Queued) },
            transaction) == 1;
        if (withdrawn && mail.NoticeId is { } noticeId)
        {
            TimelineRepository.Add(connection, transaction, noticeId, now, TimelineEvent.Withdrawn, timelineDetail);
        }

        transaction.Commit();
        return withdrawn;
    }

    /// <summary>
    /// Points a queued mail at its message written again (<paramref name="written"/>, already durable on disk) for the
    /// notice's state <paramref name="noticeState"/>, addressed to <paramref name="to"/> (the registry's addresses now for a
    /// mail to the organisation); only while it is still queued. The timeline says so.
    /// </summary>
    public static bool Rewrite(
        StorageSession session, OutboundMail mail, StoredFile written, IReadOnlyList<string> to, string noticeState, DateTimeOffset now, string? timelineDetail)
    {
        var rewritten = session.Connection.Execute(
            """
            UPDATE outbound SET mime_path = @RelativePath, mime_sha256 = @Sha256, mime_size = @Size, notice_state = @noticeState, recipients = @recipients
            WHERE id = @Id AND status = @queued
            """,
            new
            {
                mail.Id, written.RelativePath, written.Sha256, written.Size, noticeState, recipients = string.Join(',', to),
                queued = StoredCodes.Text(OutboundStatus.Queued),
            },
            session.Transaction) == 1;
        if (rewritten && mail.NoticeId is { } noticeId && timelineDetail is not null)
        {
            TimelineRepository.Add(session, noticeId, now, TimelineEvent.Rewritten, timelineDetail);
        }

        return rewritten;
    }

    /// <summary>Records a failed attempt: the mail waits until <paramref name="nextAttemptAt"/>, or is given up as failed.</summary>
    public void MarkAttemptFailed(OutboundMail mail, string error, DateTimeOffset nextAttemptAt, bool giveUp, DateTimeOffset now, string giveUpDetail)
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        connection.Execute(
            """
            UPDATE outbound SET attempts = attempts + 1, last_error = @error, next_attempt_at = @next, status = @status
            WHERE id = @Id
            """,
            new { mail.Id, error, next = Instants.Format(nextAttemptAt), status = StoredCodes.Text(giveUp ? OutboundStatus.Failed : OutboundStatus.Queued) },
            transaction);
        if (giveUp && mail.NoticeId is { } noticeId)
        {
            TimelineRepository.Add(connection, transaction, noticeId, now, TimelineEvent.SendFailed, giveUpDetail);
        }

        transaction.Commit();
    }

    /// <summary>
    /// Records that <paramref name="recipients"/> (some or all of the mail's) bounced; the mail becomes bounced only when
    /// every recipient has. Returns the recipients newly recorded (none when the report was already taken).
    /// </summary>
    public IReadOnlyList<string> MarkBounced(OutboundMail mail, IReadOnlyList<string> recipients, DateTimeOffset now, Func<IReadOnlyList<string>, bool, string> timelineDetail)
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        var stored = connection.ExecuteScalar<string>("SELECT bounced_to FROM outbound WHERE id = @Id", new { mail.Id }, transaction) ?? "";
        var before = stored.Split(',', StringSplitOptions.RemoveEmptyEntries);
        var added = recipients.Where(address => !before.Contains(address, StringComparer.OrdinalIgnoreCase)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (added.Count == 0)
        {
            return [];
        }

        var bounced = before.Concat(added).ToList();
        var all = mail.To.All(to => bounced.Contains(to, StringComparer.OrdinalIgnoreCase));
        connection.Execute(
            "UPDATE outbound SET bounced_to = @bouncedTo, status = CASE WHEN @all THEN @bouncedStatus ELSE status END WHERE id = @Id",
            new { mail.Id, bouncedTo = string.Join(',', bounced), all, bouncedStatus = StoredCodes.Text(OutboundStatus.Bounced) }, transaction);
        if (mail.NoticeId is { } noticeId)
        {
            TimelineRepository.Add(connection, transaction, noticeId, now, TimelineEvent.Bounced, timelineDetail(added, all));
        }

        transaction.Commit();
        return added;
    }

    /// <summary>Sent mails some of whose recipients bounced (not all: those are <see cref="OutboundStatus.Bounced"/>).</summary>
    public IReadOnlyList<OutboundMail> ListPartlyBounced() =>
        Query("WHERE bounced_to <> '' AND status <> @bounced ORDER BY id", new { bounced = StoredCodes.Text(OutboundStatus.Bounced) });

    /// <summary>
    /// How many mails of a kind went (or are queued) to one address (the receipt rate limit): those queued to <paramref name="address"/> from <paramref name="since"/> up to <paramref name="until"/>:
    /// one stamped after <paramref name="until"/> was stamped by a clock that was ahead, and is not recent.
    /// </summary>
    /// <param name="keyPrefix">Only mails whose idempotency key starts with it (one sort of a kind), or all of the kind.</param>
    public static int CountRecentTo(
        StorageSession session, OutboundKind kind, string address, DateTimeOffset since, DateTimeOffset until, string? keyPrefix = null) =>
        session.Connection.ExecuteScalar<int>(
            """
            SELECT COUNT(*) FROM outbound
            WHERE kind = @kind AND created_at >= @since AND created_at <= @until AND (',' || lower(recipients) || ',') LIKE @pattern
              AND (@keyPrefix IS NULL OR substr(idempotency_key, 1, length(@keyPrefix)) = @keyPrefix)
            """,
            new
            {
                kind = StoredCodes.Text(kind), since = Instants.Format(since), until = Instants.Format(until),
                pattern = $"%,{address.ToLowerInvariant()},%", keyPrefix,
            },
            session.Transaction);

    /// <summary>
    /// When the latest mail of a kind was queued, not after <paramref name="notAfter"/>: a <c>jobs run --as-of</c> in the
    /// future leaves a row dated then, which must not count as the last run for the real runs before that moment.
    /// </summary>
    /// <summary>What the idempotency key of a mail queued by a preview (<c>jobs run --as-of</c> ahead of the clock) holds.</summary>
    public const string PreviewMark = ":preview";

    /// <param name="keyPrefix">Only mails whose idempotency key starts with it, or all of the kind.</param>
    /// <param name="includePreviews">Whether a preview's mail counts (only for another preview).</param>
    public DateTimeOffset? LatestCreatedAt(OutboundKind kind, DateTimeOffset notAfter, string? keyPrefix = null, bool includePreviews = true)
    {
        using var connection = database.Open();
        return Instants.ParseOrNull(connection.ExecuteScalar<string?>(
            """
            SELECT MAX(created_at) FROM outbound
            WHERE kind = @kind AND created_at <= @notAfter AND (@keyPrefix IS NULL OR substr(idempotency_key, 1, length(@keyPrefix)) = @keyPrefix)
              AND (@includePreviews OR instr(idempotency_key, @previewMark) = 0)
            """,
            new { kind = StoredCodes.Text(kind), notAfter = Instants.Format(notAfter), keyPrefix, includePreviews, previewMark = PreviewMark }));
    }

    /// <summary>
    /// Whether a mail whose idempotency key starts with <paramref name="keyPrefix"/> was queued up to <paramref name="notAfter"/>:
    /// one stamped later was queued by a clock that was ahead, and does not count as done; a preview's counts only for another.
    /// </summary>
    public bool ExistsQueuedBy(string keyPrefix, DateTimeOffset notAfter, bool includePreviews)
    {
        using var connection = database.Open();
        return connection.ExecuteScalar<long>(
            """
            SELECT COUNT(*) FROM outbound
            WHERE substr(idempotency_key, 1, length(@keyPrefix)) = @keyPrefix AND created_at <= @notAfter
              AND (@includePreviews OR instr(idempotency_key, @previewMark) = 0)
            """,
            new { keyPrefix, notAfter = Instants.Format(notAfter), includePreviews, previewMark = PreviewMark }) > 0;
    }

    public int CountByStatus(OutboundStatus status)
    {
        using var connection = database.Open();
        return connection.ExecuteScalar<int>("SELECT COUNT(*) FROM outbound WHERE status = @status", new { status = StoredCodes.Text(status) });
    }

    private IReadOnlyList<OutboundMail> Query(string where, object parameters)
    {
        using var connection = database.Open();
        return connection.Query<OutboundRow>($"{Select} {where}", parameters).Select(row => row.ToMail()).ToList();
    }

    private sealed record OutboundRow(
        long Id, string Kind, long? NoticeId, string Recipients, string Subject, string IdempotencyKey, string MessageId,
        string MimePath, string Status, long Attempts, string NextAttemptAt, string? LastError, string? SentAt, string BouncedTo,
        string? MimeSha256, long? MimeSize, string? NoticeState, long? FollowUpRound, long? ReplyMailId, string? Deadline, long? DaysBefore)
    {
        public OutboundMail ToMail() => new(
            Id, StoredCodes.OutboundKindOf(Kind), NoticeId, Recipients.Split(',', StringSplitOptions.RemoveEmptyEntries), Subject, IdempotencyKey, MessageId,
            MimePath, StoredCodes.OutboundStatusOf(Status), (int)Attempts, Instants.Parse(NextAttemptAt), LastError, Instants.ParseOrNull(SentAt),
            BouncedTo.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            Mime = MimeSha256 is not null && MimeSize is { } size ? new StoredFile(MimePath, MimeSha256, size) : null,
            NoticeState = NoticeState,
            FollowUpRound = FollowUpRound is { } round ? (int)round : null,
            ReplyMailId = ReplyMailId,
            Deadline = Instants.ParseDateOrNull(Deadline),
            DaysBefore = DaysBefore is { } days ? (int)days : null,
        };
    }
}
