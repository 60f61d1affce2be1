using Dapper;

namespace MailIntake.Storage;

/// <summary>Staff's records on a notice: phone confirmations and the follow-up rounds, each with its status change and timeline event.</summary>
public sealed class FollowUpRepository(Database database)
{
    public IReadOnlyList<PhoneConfirmation> ListConfirmations(long noticeId)
    {
        using var connection = database.Open();
        return connection.Query<(long MailId, string By, string At, string? Note)>(
                "SELECT mail_id, confirmed_by, confirmed_at, note FROM phone_confirmations WHERE notice_id = @noticeId ORDER BY id",
                new { noticeId })
            .Select(row => new PhoneConfirmation(row.MailId, row.By, Instants.Parse(row.At), row.Note))
            .ToList();
    }

    public IReadOnlyDictionary<long, int> CountRoundsByNotice()
    {
        using var connection = database.Open();
        return connection.Query<(long NoticeId, long Rounds)>("SELECT notice_id, COUNT(*) FROM follow_ups GROUP BY notice_id")
            .ToDictionary(row => row.NoticeId, row => (int)row.Rounds);
    }

    public IReadOnlyList<FollowUp> ListFollowUps(long noticeId)
    {
        using var connection = database.Open();
        return connection.Query<(long Round, string Result, string? Until, string? SuspendFrom, string By, string At, string? Note)>(
                """
                SELECT round, result, until_date, suspend_from, tracked_by, tracked_at, note
                FROM follow_ups WHERE notice_id = @noticeId ORDER BY round
                """,
                new { noticeId })
            .Select(row => new FollowUp((int)row.Round, row.Result, Instants.ParseDateOrNull(row.Until), Instants.ParseDateOrNull(row.SuspendFrom), row.By, Instants.Parse(row.At), row.Note))
            .ToList();
    }

    /// <summary>Records the call confirming <paramref name="mailId"/> and moves the notice from replied to confirmed.</summary>
    public void ConfirmPhone(long noticeId, long mailId, string by, DateTimeOffset at, string? note, DateTimeOffset now)
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        connection.Execute(
            """
            INSERT INTO phone_confirmations (notice_id, mail_id, confirmed_by, confirmed_at, note, recorded_at)
            VALUES (@noticeId, @mailId, @by, @at, @note, @now)
            """,
            new { noticeId, mailId, by, at = Instants.Format(at), note, now = Instants.Format(now) },
            transaction);
        connection.Execute("UPDATE notices SET status = 'confirmed' WHERE id = @noticeId AND status = 'replied'", new { noticeId }, transaction);
        TimelineRepository.Add(connection, transaction, noticeId, at, TimelineEvent.Confirmed,
            $"{by} 以電話確認郵件 #{mailId} 的回覆{(note is null ? "" : $"：{note}")}");
        transaction.Commit();
    }

    /// <summary>Records one follow-up round and its effect on the notice (status, and the deadline of an extension).</summary>
    public void AddFollowUp(long noticeId, FollowUp followUp, string newStatus, string timelineDetail, DateTimeOffset now)
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        connection.Execute(
            """
            INSERT INTO follow_ups (notice_id, round, result, until_date, suspend_from, tracked_by, tracked_at, note, recorded_at)
            VALUES (@noticeId, @Round, @Result, @until, @suspendFrom, @By, @at, @Note, @now)
            """,
            new
            {
                noticeId,
                followUp.Round,
                followUp.Result,
                until = followUp.Until is { } until ? Instants.FormatDate(until) : null,
                suspendFrom = followUp.SuspendFrom is { } from ? Instants.FormatDate(from) : null,
                followUp.By,
                at = Instants.Format(followUp.At),
                followUp.Note,
                now = Instants.Format(now),
            },
            transaction);
        connection.Execute(
            """
            UPDATE notices SET status = @newStatus, deadline = COALESCE(@until, deadline) WHERE id = @noticeId
            """,
            new { newStatus, until = followUp.Until is { } date ? Instants.FormatDate(date) : null, noticeId },
            transaction);
        TimelineRepository.Add(connection, transaction, noticeId, followUp.At, $"follow-up-{followUp.Round}", timelineDetail);
        transaction.Commit();
    }
}
