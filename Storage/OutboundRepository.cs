using Dapper;

namespace MailIntake.Storage;

public static class OutboundStatus
{
    public const string Queued = "queued";
    public const string Sent = "sent";
    public const string Failed = "failed";
    public const string Bounced = "bounced";
}

public sealed record OutboundMail(
    long Id,
    string Kind,
    long? NoticeId,
    IReadOnlyList<string> To,
    string Subject,
    string IdempotencyKey,
    string MessageId,
    string MimePath,
    string Status,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    string? LastError,
    DateTimeOffset? SentAt);

public sealed record NewOutboundMail(string Kind, long? NoticeId, IReadOnlyList<string> To, string Subject, string IdempotencyKey, string MessageId, string MimePath);

public sealed class OutboundRepository(Database database)
{
    private const string Select = """
        SELECT id AS Id, kind AS Kind, notice_id AS NoticeId, recipients AS Recipients, subject AS Subject,
               idempotency_key AS IdempotencyKey, message_id AS MessageId, mime_path AS MimePath, status AS Status,
               attempts AS Attempts, next_attempt_at AS NextAttemptAt, last_error AS LastError, sent_at AS SentAt
        FROM outbound
        """;

    /// <summary>Queues a mail unless one with the same idempotency key exists; returns whether it was queued now.</summary>
    public bool Queue(NewOutboundMail mail, DateTimeOffset now, string? timelineDetail, string timelineEvent = TimelineEvent.Queued)
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        var inserted = connection.Execute(
            """
            INSERT INTO outbound (kind, notice_id, recipients, subject, idempotency_key, message_id, mime_path, status, next_attempt_at, created_at)
            VALUES (@Kind, @NoticeId, @recipients, @Subject, @IdempotencyKey, @MessageId, @MimePath, 'queued', @now, @now)
            ON CONFLICT (idempotency_key) DO NOTHING
            """,
            new { mail.Kind, mail.NoticeId, recipients = string.Join(',', mail.To), mail.Subject, mail.IdempotencyKey, mail.MessageId, mail.MimePath, now = Instants.Format(now) },
            transaction) > 0;
        if (inserted && mail.NoticeId is { } noticeId && timelineDetail is not null)
        {
            TimelineRepository.Add(connection, transaction, noticeId, now, timelineEvent, timelineDetail);
        }

        transaction.Commit();
        return inserted;
    }

    public bool Exists(string idempotencyKey)
    {
        using var connection = database.Open();
        return connection.ExecuteScalar<long>("SELECT COUNT(*) FROM outbound WHERE idempotency_key = @idempotencyKey", new { idempotencyKey }) > 0;
    }

    public IReadOnlyList<OutboundMail> ListForNotice(long noticeId) => Query("WHERE notice_id = @noticeId ORDER BY id", new { noticeId });

    public IReadOnlyList<OutboundMail> ListDue(DateTimeOffset now) =>
        Query("WHERE status = 'queued' AND next_attempt_at <= @now ORDER BY id", new { now = Instants.Format(now) });

    public IReadOnlyList<OutboundMail> ListByStatus(string status) => Query("WHERE status = @status ORDER BY id", new { status });

    public OutboundMail? FindByMessageId(string messageId) => Query("WHERE message_id = @messageId", new { messageId }).SingleOrDefault();

    /// <summary>
    /// Takes a due mail for one sender: moves its next attempt past a lease, only if it is still queued and due.
    /// Two runs (the worker's schedule and a CLI <c>jobs run outbox</c>) can then never send the same row at once;
    /// a sender that dies holding the lease leaves the mail to be retried when the lease runs out.
    /// </summary>
    public bool TryClaim(OutboundMail mail, DateTimeOffset now, DateTimeOffset leaseUntil)
    {
        using var connection = database.Open();
        return connection.Execute(
            """
            UPDATE outbound SET next_attempt_at = @leaseUntil
            WHERE id = @Id AND status = 'queued' AND next_attempt_at <= @now
            """,
            new { mail.Id, now = Instants.Format(now), leaseUntil = Instants.Format(leaseUntil) }) == 1;
    }

    /// <summary>Records the server's acceptance; the timeline says so in the same transaction.</summary>
    public void MarkSent(OutboundMail mail, DateTimeOffset now)
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        connection.Execute(
            "UPDATE outbound SET status = 'sent', sent_at = @now, attempts = attempts + 1, last_error = NULL WHERE id = @Id",
            new { mail.Id, now = Instants.Format(now) },
            transaction);
        if (mail.NoticeId is { } noticeId)
        {
            TimelineRepository.Add(connection, transaction, noticeId, now, TimelineEvent.Sent, $"{OutboundKinds.Label(mail.Kind)}已寄出至 {string.Join("、", mail.To)}（Message-ID {mail.MessageId}）");
        }

        transaction.Commit();
    }

    /// <summary>Records a failed attempt: the mail waits until <paramref name="nextAttemptAt"/>, or is given up as failed.</summary>
    public void MarkAttemptFailed(OutboundMail mail, string error, DateTimeOffset nextAttemptAt, bool giveUp, DateTimeOffset now)
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        connection.Execute(
            """
            UPDATE outbound SET attempts = attempts + 1, last_error = @error, next_attempt_at = @next, status = @status
            WHERE id = @Id
            """,
            new { mail.Id, error, next = Instants.Format(nextAttemptAt), status = giveUp ? OutboundStatus.Failed : OutboundStatus.Queued },
            transaction);
        if (giveUp && mail.NoticeId is { } noticeId)
        {
            TimelineRepository.Add(connection, transaction, noticeId, now, "send-failed", $"{OutboundKinds.Label(mail.Kind)}寄送失敗，已停止重試：{error}");
        }

        transaction.Commit();
    }

    public void MarkBounced(OutboundMail mail, long bounceMailId, DateTimeOffset now)
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        connection.Execute("UPDATE outbound SET status = 'bounced' WHERE id = @Id", new { mail.Id }, transaction);
        if (mail.NoticeId is { } noticeId)
        {
            TimelineRepository.Add(connection, transaction, noticeId, now, TimelineEvent.Bounced, $"{OutboundKinds.Label(mail.Kind)}被退信（退信郵件 #{bounceMailId}，收件者 {string.Join("、", mail.To)}）");
        }

        transaction.Commit();
    }

    /// <summary>How many mails of a kind went (or are queued) to one address since a moment: the receipt rate limit.</summary>
    public int CountRecentTo(string kind, string address, DateTimeOffset since)
    {
        using var connection = database.Open();
        return connection.ExecuteScalar<int>(
            """
            SELECT COUNT(*) FROM outbound
            WHERE kind = @kind AND created_at >= @since AND (',' || lower(recipients) || ',') LIKE @pattern
            """,
            new { kind, since = Instants.Format(since), pattern = $"%,{address.ToLowerInvariant()},%" });
    }

    public DateTimeOffset? LatestCreatedAt(string kind)
    {
        using var connection = database.Open();
        return Instants.ParseOrNull(connection.ExecuteScalar<string?>("SELECT MAX(created_at) FROM outbound WHERE kind = @kind", new { kind }));
    }

    public int CountByStatus(string status)
    {
        using var connection = database.Open();
        return connection.ExecuteScalar<int>("SELECT COUNT(*) FROM outbound WHERE status = @status", new { status });
    }

    private IReadOnlyList<OutboundMail> Query(string where, object parameters)
    {
        using var connection = database.Open();
        return connection.Query<OutboundRow>($"{Select} {where}", parameters).Select(row => row.ToMail()).ToList();
    }

    private sealed record OutboundRow(
        long Id, string Kind, long? NoticeId, string Recipients, string Subject, string IdempotencyKey, string MessageId,
        string MimePath, string Status, long Attempts, string NextAttemptAt, string? LastError, string? SentAt)
    {
        public OutboundMail ToMail() => new(
            Id, Kind, NoticeId, Recipients.Split(',', StringSplitOptions.RemoveEmptyEntries), Subject, IdempotencyKey, MessageId,
            MimePath, Status, (int)Attempts, Instants.Parse(NextAttemptAt), LastError, Instants.ParseOrNull(SentAt));
    }
}

/// <summary>The kinds of mail the center sends, and their names for staff.</summary>
public static class OutboundKinds
{
    public const string Notice = "notice";
    public const string Receipt = "receipt";
    public const string Reminder = "reminder";
    public const string Overdue = "overdue";
    public const string PhonePrompt = "phone-prompt";
    public const string Digest = "digest";
    public const string Suspension = "suspension";
    public const string ArchivesReport = "archives-report";

    public static string Label(string kind) => kind switch
    {
        Notice => "限期改善單",
        Receipt => "收件回執",
        Reminder => "期限提醒",
        Overdue => "逾期通知",
        PhonePrompt => "電話確認提醒",
        Digest => "每日摘要",
        Suspension => "中止交換服務通知",
        ArchivesReport => "檔案管理局通報",
        _ => kind,
    };
}
