using System.Text.Json;
using Dapper;
using MailIntake.Parsing;

namespace MailIntake.Storage;

public sealed class ReplyRepository(Database database)
{
    /// <summary>
    /// Files a mail as a reply to its notice in one transaction: the mail's kind, the reply, its evidence,
    /// the notice's status (issued → replied) and the timeline event.
    /// <paramref name="evidence"/> null keeps the evidence already recorded for the mail (a staff assignment).
    /// </summary>
    public void File(ReplyFiling filing, IReadOnlyList<EvidenceFile>? evidence, DateTimeOffset now, string timelineEvent = TimelineEvent.ReplyFiled)
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        MailRepository.Complete(
            connection, transaction, filing.MailId,
            new MailOutcome(MailKind.Reply, filing.From, filing.Subject, filing.NoticeId, Reason: null),
            now);
        connection.Execute(
            """
            INSERT INTO replies (mail_id, notice_id, matched_by, filler_name, filler_phone, filler_email, completed_on, filed_at, answers)
            VALUES (@MailId, @NoticeId, @MatchedBy, @FillerName, @FillerPhone, @FillerEmail, @completedOn, @filedAt, @answers)
            ON CONFLICT (mail_id) DO UPDATE SET
                notice_id = excluded.notice_id, matched_by = excluded.matched_by,
                filler_name = excluded.filler_name, filler_phone = excluded.filler_phone,
                filler_email = excluded.filler_email, completed_on = excluded.completed_on, answers = excluded.answers
            """,
            new
            {
                filing.MailId,
                filing.NoticeId,
                filing.MatchedBy,
                filing.FillerName,
                filing.FillerPhone,
                filing.FillerEmail,
                completedOn = filing.CompletedOn is { } date ? Instants.FormatDate(date) : null,
                filedAt = Instants.Format(now),
                answers = filing.Answers is { Count: > 0 } answers ? JsonSerializer.Serialize(answers, AnswerJson) : null,
            },
            transaction);
        if (evidence is not null)
        {
            EvidenceRepository.Replace(connection, transaction, filing.MailId, evidence);
        }

        var filed = EvidenceRepository.ListForMails(connection, [filing.MailId], transaction);
        connection.Execute(
            "UPDATE notices SET status = 'replied' WHERE id = @NoticeId AND status IN ('issued', 'extended', 'confirmed')",
            new { filing.NoticeId },
            transaction);
        var items = filed.Where(file => file.Item is not null).Select(file => $"附件{file.Item}").Distinct();
        TimelineRepository.Add(
            connection, transaction, filing.NoticeId, now, timelineEvent,
            $"郵件 #{filing.MailId} 來自 {filing.From ?? "（不明寄件者）"}，比對方式 {filing.MatchedBy}，附件 {filed.Count} 個（{string.Join("、", items)}）");
        transaction.Commit();
    }

    /// <summary>The replies filed under a notice, oldest first, each with its evidence.</summary>
    public IReadOnlyList<Reply> ListForNotice(long noticeId) => Query("WHERE r.notice_id = @noticeId", new { noticeId });

    /// <summary>Every reply with its evidence, by notice id: one query for a whole digest.</summary>
    public ILookup<long, Reply> ListAllByNotice()
    {
        var rows = Query(string.Empty, new { });
        return rows.ToLookup(reply => reply.NoticeId);
    }

    private IReadOnlyList<Reply> Query(string where, object parameters)
    {
        using var connection = database.Open();
        var rows = connection.Query<ReplyRow>(
                $"""
                SELECT r.mail_id AS MailId, r.notice_id AS NoticeId, m.message_id AS MessageId, m.from_address AS "From",
                       m.received_at AS ReceivedAt, r.matched_by AS MatchedBy, r.filler_name AS FillerName,
                       r.filler_phone AS FillerPhone, r.filler_email AS FillerEmail, r.completed_on AS CompletedOn,
                       r.answers AS Answers
                FROM replies r JOIN mails m ON m.id = r.mail_id
                {where} ORDER BY m.received_at, r.mail_id
                """,
                parameters)
            .ToList();
        var evidence = (rows.Count == 0 ? [] : EvidenceRepository.ListForMails(connection, where.Length == 0 ? null : rows.Select(row => row.MailId).ToList()))
            .ToLookup(file => file.MailId);
        return rows.Select(row => row.ToReply(evidence[row.MailId].ToList())).ToList();
    }

    private sealed record ReplyRow(
        long MailId, long NoticeId, string? MessageId, string? From, string ReceivedAt, string MatchedBy,
        string? FillerName, string? FillerPhone, string? FillerEmail, string? CompletedOn, string? Answers)
    {
        public Reply ToReply(IReadOnlyList<StoredEvidence> evidence) => new(
            MailId, NoticeId, MessageId, From, Instants.Parse(ReceivedAt), MatchedBy, FillerName, FillerPhone, FillerEmail,
            Instants.ParseDateOrNull(CompletedOn), evidence,
            Answers is null ? [] : JsonSerializer.Deserialize<List<ItemAnswer>>(Answers, AnswerJson) ?? []);
    }

    private static readonly JsonSerializerOptions AnswerJson = new(JsonSerializerDefaults.Web);
}
