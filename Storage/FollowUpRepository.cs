using System.Data;
using Dapper;

namespace MailIntake.Storage;

/// <summary>Staff's records on a notice: phone calls and the follow-up rounds.</summary>
public sealed class FollowUpRepository(Database database)
{
    public IReadOnlyList<PhoneConfirmation> ListConfirmations(long noticeId)
    {
        using var connection = database.Open();
        return ListCalls(connection, null, noticeId);
    }

    public static IReadOnlyList<PhoneConfirmation> ListConfirmations(StorageSession session, long noticeId) =>
        ListCalls(session.Connection, session.Transaction, noticeId);

    /// <summary>The phone calls of the open notices, by notice id: what a digest shows, whatever the number closed before.</summary>
    public ILookup<long, PhoneConfirmation> ListOpenCallsByNotice()
    {
        using var connection = database.Open();
        return connection.Query<(long NoticeId, long MailId, string By, string At, string? Note, string Result)>(
                "SELECT notice_id, mail_id, confirmed_by, confirmed_at, note, result FROM phone_confirmations WHERE notice_id IN (SELECT id FROM notices WHERE status NOT IN @closed) ORDER BY confirmed_at, id",
                new { closed = StoredCodes.ClosedStatuses })
            .ToLookup(row => row.NoticeId, row => new PhoneConfirmation(row.MailId, row.By, Instants.Parse(row.At), row.Note, StoredCodes.PhoneResultOf(row.Result)));
    }

    private static IReadOnlyList<PhoneConfirmation> ListCalls(IDbConnection connection, IDbTransaction? transaction, long noticeId) =>
        connection.Query<(long MailId, string By, string At, string? Note, string Result)>(
                "SELECT mail_id, confirmed_by, confirmed_at, note, result FROM phone_confirmations WHERE notice_id = @noticeId ORDER BY confirmed_at, id",
                new { noticeId },
                transaction)
            .Select(row => new PhoneConfirmation(row.MailId, row.By, Instants.Parse(row.At), row.Note, StoredCodes.PhoneResultOf(row.Result)))
            .ToList();

    /// <summary>How many follow-up rounds each open notice has had (a notice with none is not listed).</summary>
    public IReadOnlyDictionary<long, int> CountRoundsOfOpenNotices()
    {
        using var connection = database.Open();
        return connection.Query<(long NoticeId, long Rounds)>(
                "SELECT notice_id, COUNT(*) FROM follow_ups WHERE notice_id IN (SELECT id FROM notices WHERE status NOT IN @closed) GROUP BY notice_id",
                new { closed = StoredCodes.ClosedStatuses })
            .ToDictionary(row => row.NoticeId, row => (int)row.Rounds);
    }

    public IReadOnlyList<FollowUp> ListFollowUps(long noticeId)
    {
        using var connection = database.Open();
        return ListRounds(connection, null, noticeId);
    }

    public static IReadOnlyList<FollowUp> ListFollowUps(StorageSession session, long noticeId) => ListRounds(session.Connection, session.Transaction, noticeId);

    private static IReadOnlyList<FollowUp> ListRounds(IDbConnection connection, IDbTransaction? transaction, long noticeId) =>
        connection.Query<(long Round, string Result, string? Until, string? SuspendFrom, string By, string At, string? Note)>(
                """
                SELECT round, result, until_date, suspend_from, tracked_by, tracked_at, note
                FROM follow_ups WHERE notice_id = @noticeId ORDER BY round
                """,
                new { noticeId },
                transaction)
            .Select(row => new FollowUp(
                (int)row.Round, StoredCodes.RoundResultOf(row.Result), Instants.ParseDateOrNull(row.Until), Instants.ParseDateOrNull(row.SuspendFrom),
                row.By, Instants.Parse(row.At), row.Note))
            .ToList();

    /// <summary>Records a phone call about the email reply <paramref name="mailId"/>.</summary>
    public static void AddCall(StorageSession session, long noticeId, long mailId, PhoneConfirmation call, DateTimeOffset now) =>
        session.Connection.Execute(
            """
            INSERT INTO phone_confirmations (notice_id, mail_id, confirmed_by, confirmed_at, note, result, recorded_at)
            VALUES (@noticeId, @mailId, @By, @at, @Note, @result, @now)
            """,
            new { noticeId, mailId, call.By, at = Instants.Format(call.At), call.Note, result = StoredCodes.Text(call.Result), now = Instants.Format(now) },
            session.Transaction);

    /// <summary>Records one follow-up round; the round number is unique per notice, so two rounds recorded at once cannot both land.</summary>
    public static void AddRound(StorageSession session, long noticeId, FollowUp followUp, DateTimeOffset now) =>
        session.Connection.Execute(
            """
            INSERT INTO follow_ups (notice_id, round, result, until_date, suspend_from, tracked_by, tracked_at, note, recorded_at)
            VALUES (@noticeId, @Round, @result, @until, @suspendFrom, @By, @at, @Note, @now)
            """,
            new
            {
                noticeId,
                followUp.Round,
                result = StoredCodes.Text(followUp.Result),
                until = followUp.Until is { } until ? Instants.FormatDate(until) : null,
                suspendFrom = followUp.SuspendFrom is { } from ? Instants.FormatDate(from) : null,
                followUp.By,
                at = Instants.Format(followUp.At),
                followUp.Note,
                now = Instants.Format(now),
            },
            session.Transaction);
}
