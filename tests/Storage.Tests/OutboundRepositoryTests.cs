using Dapper;

namespace MailIntake.Storage.Tests;

public sealed class OutboundRepositoryTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    /// <summary>The round an extension mail announces is kept in its own column, not read back from its idempotency key.</summary>
    [Fact]
    public void Queue_ExtensionWithItsRound_ListsItWithThatRoundWhateverItsKey()
    {
        _temp.AddOrganisation();
        var notice = _temp.AddNotice();
        using (var session = _temp.Database.Begin())
        {
            OutboundRepository.Queue(session, new NewOutboundMail(OutboundKind.Extension, notice.Id, ["a@example.tw"], "【展延通知】", "any-key-without-a-round", "m1@intake.test", "outbound/a.eml")
            {
                FollowUpRound = 2,
            }, TempDatabase.Now, timelineDetail: null);
            OutboundRepository.Queue(session, new NewOutboundMail(OutboundKind.Receipt, notice.Id, ["a@example.tw"], "收件回執", "receipt:1", "m2@intake.test", "outbound/b.eml"),
                TempDatabase.Now, timelineDetail: null);
            session.Commit();
        }

        var mails = new OutboundRepository(_temp.Database).ListForNotice(notice.Id);
        Assert.Equal(2, Assert.Single(mails, mail => mail.Kind == OutboundKind.Extension).FollowUpRound);
        Assert.Null(Assert.Single(mails, mail => mail.Kind == OutboundKind.Receipt).FollowUpRound);
    }

    /// <summary>
    /// The reply a receipt or a phone prompt is about, the deadline a reminder or an overdue note was queued for and the
    /// reminder's offset are kept in their own columns, not read back from the idempotency key.
    /// </summary>
    [Fact]
    public void Queue_MailsWithTheirFacts_ListsThemWithThoseFactsWhateverTheirKeys()
    {
        _temp.AddOrganisation();
        var notice = _temp.AddNotice();
        using (var session = _temp.Database.Begin())
        {
            OutboundRepository.Queue(session, new NewOutboundMail(OutboundKind.Receipt, notice.Id, ["a@example.tw"], "收件回執", "receipt:1", "m1@intake.test", "outbound/a.eml")
            {
                ReplyMailId = 7,
            }, TempDatabase.Now, timelineDetail: null);
            OutboundRepository.Queue(session, new NewOutboundMail(OutboundKind.Reminder, notice.Id, ["a@example.tw"], "期限提醒", "reminder:any", "m2@intake.test", "outbound/b.eml")
            {
                Deadline = new DateOnly(2026, 12, 14), DaysBefore = 3,
            }, TempDatabase.Now, timelineDetail: null);
            OutboundRepository.Queue(session, new NewOutboundMail(OutboundKind.Notice, notice.Id, ["a@example.tw"], "限期改善單", "notice:any", "m3@intake.test", "outbound/c.eml"),
                TempDatabase.Now, timelineDetail: null);
            session.Commit();
        }

        var mails = new OutboundRepository(_temp.Database).ListForNotice(notice.Id);
        var receipt = Assert.Single(mails, mail => mail.Kind == OutboundKind.Receipt);
        Assert.Equal((7L, (DateOnly?)null, (int?)null), (receipt.ReplyMailId, receipt.Deadline, receipt.DaysBefore));
        var reminder = Assert.Single(mails, mail => mail.Kind == OutboundKind.Reminder);
        Assert.Equal(((long?)null, new DateOnly(2026, 12, 14), 3), (reminder.ReplyMailId, reminder.Deadline, reminder.DaysBefore));
        var other = Assert.Single(mails, mail => mail.Kind == OutboundKind.Notice);
        Assert.Equal(((long?)null, (DateOnly?)null, (int?)null), (other.ReplyMailId, other.Deadline, other.DaysBefore));
    }

    /// <summary>
    /// A store upgraded while mails still wait in the outbox: migration 0044 gives the mails queued before it the facts
    /// their keys held (read as the outbox check read them then, previews included), so they are checked as before; a
    /// key that held none leaves the column empty, and no other mail is touched.
    /// </summary>
    [Fact]
    public void Migrate_MailsQueuedBefore0044_GetTheirFactsFromTheirKeys()
    {
        var folder = Path.Combine(_temp.Folder, "older");
        var database = new Database(Path.Combine(folder, "mailintake.db"));
        database.Migrate(TempDatabase.Now, through: 43);

        var keys = new (string Kind, string Key)[]
        {
            ("receipt", "receipt:42"),
            ("phone-prompt", "phone-prompt:43:20261201>staff@intake.test"),
            ("phone-prompt", "phone-prompt:44:20261202:preview>staff@intake.test"),
            ("reminder", "reminder:TN-115-0001:20261214:7"),
            ("reminder", "reminder:TN-115-0001:20261214:3:preview"),
            ("overdue", "overdue:TN-115-0001:20261210"),
            ("overdue", "overdue:TN-115-0001:20261221:preview"),
            ("reminder", "reminder:TN-115-0001:20260230:1"),
            ("receipt", "receipt:42:again"),
            ("notice", "notice:TN-115-0001"),
            ("extension", "extension:TN-115-0001:1"),
        };
        using (var connection = database.Open())
        {
            var id = 0;
            foreach (var (kind, key) in keys)
            {
                id++;
                connection.Execute(
                    """
                    INSERT INTO outbound (kind, recipients, subject, idempotency_key, message_id, mime_path, status, next_attempt_at, created_at)
                    VALUES (@kind, 'a@example.tw', 's', @key, @messageId, @path, 'queued', '2026-11-27T01:00:00.0000000+00:00', '2026-11-27T01:00:00.0000000+00:00')
                    """,
                    new { kind, key, messageId = $"m{id}@intake.test", path = $"outbound/{id}.eml" });
            }
        }

        Assert.Equal(["0044_outbound_mail_facts.sql"], database.Migrate(TempDatabase.Now).Where(name => name.StartsWith("0044", StringComparison.Ordinal)));

        var facts = new OutboundRepository(database).ListByStatus(OutboundStatus.Queued)
            .ToDictionary(mail => mail.IdempotencyKey, mail => (mail.ReplyMailId, mail.Deadline, mail.DaysBefore));
        Assert.Equal((42L, (DateOnly?)null, (int?)null), facts["receipt:42"]);
        Assert.Equal((43L, (DateOnly?)null, (int?)null), facts["phone-prompt:43:20261201>staff@intake.test"]);
        Assert.Equal((44L, (DateOnly?)null, (int?)null), facts["phone-prompt:44:20261202:preview>staff@intake.test"]);
        Assert.Equal(((long?)null, new DateOnly(2026, 12, 14), 7), facts["reminder:TN-115-0001:20261214:7"]);
        Assert.Equal(((long?)null, new DateOnly(2026, 12, 14), 3), facts["reminder:TN-115-0001:20261214:3:preview"]);
        Assert.Equal(((long?)null, new DateOnly(2026, 12, 10), (int?)null), facts["overdue:TN-115-0001:20261210"]);
        Assert.Equal(((long?)null, new DateOnly(2026, 12, 21), (int?)null), facts["overdue:TN-115-0001:20261221:preview"]);
        // No such day: no deadline, as the check's parse found none; its offset is still read.
        Assert.Equal(((long?)null, (DateOnly?)null, 1), facts["reminder:TN-115-0001:20260230:1"]);
        Assert.Equal(((long?)null, (DateOnly?)null, (int?)null), facts["receipt:42:again"]);
        Assert.Equal(((long?)null, (DateOnly?)null, (int?)null), facts["notice:TN-115-0001"]);
        Assert.Equal(((long?)null, (DateOnly?)null, (int?)null), facts["extension:TN-115-0001:1"]);
    }

    public void Dispose() => _temp.Dispose();
}
