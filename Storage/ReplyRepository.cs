using System.Data;
using System.Text.Json;
using Dapper;
using MailIntake.Parsing;

namespace MailIntake.Storage;

public sealed class ReplyRepository(Database database)
{
    /// <summary>
    /// Files a mail as a reply to its notice inside the caller's session: the mail's kind, the reply and its evidence.
    /// <paramref name="evidence"/> null keeps the evidence already recorded for the mail (a staff assignment).
    /// The notice's status and timeline are the use case's to write, in the same session.
    /// </summary>
    public static void File(StorageSession session, ReplyFiling filing, IReadOnlyList<EvidenceFile>? evidence, DateTimeOffset now)
    {
        var (connection, transaction) = (session.Connection, session.Transaction);
        MailRepository.Complete(
            connection, transaction, filing.MailId,
            new MailOutcome(MailKind.Reply, filing.From, filing.Subject, filing.NoticeId, Reason: null),
            now);
        connection.Execute(
            """
            INSERT INTO replies (mail_id, notice_id, matched_by, filler_name, filler_phone, filler_email, completed_on, filed_at, answers, form_returned, completed_unreadable)
            VALUES (@MailId, @NoticeId, @matchedBy, @FillerName, @FillerPhone, @FillerEmail, @completedOn, @filedAt, @answers, @FormReturned, @CompletedOnUnreadable)
            ON CONFLICT (mail_id) DO UPDATE SET
                notice_id = excluded.notice_id, matched_by = excluded.matched_by,
                filler_name = excluded.filler_name, filler_phone = excluded.filler_phone,
                filler_email = excluded.filler_email, completed_on = excluded.completed_on, answers = excluded.answers,
                form_returned = excluded.form_returned, completed_unreadable = excluded.completed_unreadable
            """,
            new
            {
                filing.MailId,
                filing.NoticeId,
                matchedBy = StoredCodes.Text(filing.MatchedBy),
                filing.FillerName,
                filing.FillerPhone,
                filing.FillerEmail,
                completedOn = filing.CompletedOn is { } date ? Instants.FormatDate(date) : null,
                filedAt = Instants.Format(now),
                answers = filing.Answers is { Count: > 0 } answers ? JsonSerializer.Serialize(answers, AnswerJson) : null,
                filing.FormReturned,
                filing.CompletedOnUnreadable,
            },
            transaction);
        if (evidence is not null)
        {
            EvidenceRepository.Replace(connection, transaction, filing.MailId, evidence);
        }
    }

    /// <summary>How and when a mail was filed as a reply, or null when it is not one.</summary>
    public static ReplyFiled? Filed(StorageSession session, long mailId) =>
        session.Connection.QuerySingleOrDefault<FiledRow>(
                "SELECT matched_by AS MatchedBy, filed_at AS FiledAt FROM replies WHERE mail_id = @mailId", new { mailId }, session.Transaction)
            is { } row
            ? new ReplyFiled(StoredCodes.MatchMethodOf(row.MatchedBy), Instants.Parse(row.FiledAt))
            : null;

    /// <summary>The replies filed under a notice, oldest first, each with its evidence.</summary>
    public IReadOnlyList<Reply> ListForNotice(long noticeId)
    {
        using var connection = database.Open();
        return Query(connection, null, "WHERE r.notice_id = @noticeId", new { noticeId });
    }

    public static IReadOnlyList<Reply> ListForNotice(StorageSession session, long noticeId) =>
        Query(session.Connection, session.Transaction, "WHERE r.notice_id = @noticeId", new { noticeId });

    /// <summary>
    /// The replies, with their evidence, of every open notice and of every notice with a reply received since
    /// <paramref name="since"/>, by notice id: what a digest shows, whatever the number of notices closed before.
    /// </summary>
    public ILookup<long, Reply> ListForOpenOrRepliedSince(DateTimeOffset since)
    {
        using var connection = database.Open();
        return Query(
                connection,
                null,
                """
                WHERE r.notice_id IN (SELECT id FROM notices WHERE status NOT IN @closed)
                   OR r.notice_id IN (SELECT r2.notice_id FROM replies r2 WHERE r2.filed_at >= @since)
                """,
                new { closed = StoredCodes.ClosedStatuses, since = Instants.Format(since) },
                evidenceOfTheSameRows: true)
            .ToLookup(reply => reply.NoticeId);
    }

    /// <summary>
    /// The replies <paramref name="where"/> picks, each with its evidence: read by mail id, or with
    /// <paramref name="evidenceOfTheSameRows"/> by the same condition (a digest's thousands of mails are no parameter list).
    /// </summary>
    private static IReadOnlyList<Reply> Query(IDbConnection connection, IDbTransaction? transaction, string where, object parameters, bool evidenceOfTheSameRows = false)
    {
        var rows = connection.Query<ReplyRow>(
                $"""
                SELECT r.mail_id AS MailId, r.notice_id AS NoticeId, m.message_id AS MessageId, m.from_address AS "From",
                       m.received_at AS ReceivedAt, r.matched_by AS MatchedBy, r.filler_name AS FillerName,
                       r.filler_phone AS FillerPhone, r.filler_email AS FillerEmail, r.completed_on AS CompletedOn,
                       r.answers AS Answers, r.form_returned AS FormReturned, r.completed_unreadable AS CompletedOnUnreadable,
                       r.filed_at AS FiledAt, m.carried_arrival AS CarriedArrival
                FROM replies r JOIN mails m ON m.id = r.mail_id
                {where} ORDER BY m.received_at, r.mail_id
                """,
                parameters,
                transaction)
            .ToList();
        var evidence = (rows.Count == 0 ? []
                : evidenceOfTheSameRows ? EvidenceRepository.ListForReplies(connection, where, parameters, transaction)
                : EvidenceRepository.ListForMails(connection, rows.Select(row => row.MailId).ToList(), transaction))
            .ToLookup(file => file.MailId);
        return rows.Select(row => row.ToReply(evidence[row.MailId].ToList())).ToList();
    }

    private sealed record ReplyRow(
        long MailId, long NoticeId, string? MessageId, string? From, string ReceivedAt, string MatchedBy,
        string? FillerName, string? FillerPhone, string? FillerEmail, string? CompletedOn, string? Answers, long FormReturned, string? CompletedOnUnreadable, string FiledAt,
        string? CarriedArrival)
    {
        public Reply ToReply(IReadOnlyList<StoredEvidence> evidence) => new(
            MailId, NoticeId, MessageId, From, Instants.Parse(ReceivedAt), StoredCodes.MatchMethodOf(MatchedBy), FillerName, FillerPhone, FillerEmail,
            Instants.ParseDateOrNull(CompletedOn), evidence,
            Answers is null ? [] : JsonSerializer.Deserialize<List<ItemAnswer>>(Answers, AnswerJson) ?? [],
            FormReturned != 0)
        {
            CompletedOnUnreadable = CompletedOnUnreadable,
            FiledAt = Instants.Parse(FiledAt),
            CarriedArrival = Instants.ParseOrNull(CarriedArrival),
        };
    }

    private sealed record FiledRow(string MatchedBy, string FiledAt);

    private static readonly JsonSerializerOptions AnswerJson = new(JsonSerializerDefaults.Web);
}
