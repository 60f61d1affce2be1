using Dapper;
using MailIntake.Storage;
using Microsoft.Data.Sqlite;

namespace MailIntake.Bench;

/// <summary>
/// A center with <c>count</c> open notices (five per organisation): 55 % issued (some due soon, some overdue),
/// 25 % replied (one reply with three files each, about one in ten new since yesterday), 10 % confirmed by phone
/// (some with a follow-up round), 10 % extended; plus a few hundred unmatched and ambiguous mails, and the digest of the
/// working day before.
/// </summary>
public static class DigestData
{
    public static void Write(string dataDirectory, int count, DateTimeOffset asOf)
    {
        Directory.CreateDirectory(dataDirectory);
        var database = new Database(Path.Combine(dataDirectory, "mailintake.db"));
        var now = asOf.AddDays(-40);
        database.Migrate(now);
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        var today = DateOnly.FromDateTime(asOf.DateTime);
        var orgs = (count + 4) / 5;
        for (var o = 1; o <= orgs; o++)
        {
            connection.Execute(
                "INSERT INTO organisations (code, name, phone, contact, updated_at) VALUES (@code, @name, '06-2345678', '王小明', @now)",
                new { code = Code(o), name = $"臺南市測試機關{o:D5}", now = Instants.Format(now) }, transaction);
            connection.Execute("INSERT INTO organisation_emails (org_code, email) VALUES (@code, @email)",
                new { code = Code(o), email = $"it{o}@org{o}.example.tw" }, transaction);
        }

        for (var i = 1; i <= count; i++)
        {
            var slot = i % 20;
            var status = slot < 11 ? NoticeStatus.Issued : slot < 16 ? NoticeStatus.Replied : slot < 18 ? NoticeStatus.Confirmed : NoticeStatus.Extended;
            var deadline = today.AddDays(i % 41 - 10);
            var org = (i - 1) / 5 + 1;
            var id = Registry.InsertNotice(connection, transaction, $"TN-115-{i:D5}", Code(org), status, deadline, now.AddMinutes(i));
            connection.Execute("INSERT INTO timeline (notice_id, at, event, detail) VALUES (@id, @at, 'issued', '限期改善單已開立')",
                new { id, at = Instants.Format(now.AddMinutes(i)) }, transaction);
            if (status is NoticeStatus.Replied or NoticeStatus.Confirmed)
            {
                var received = asOf.AddHours(-(i % 240));
                var mailId = InsertMail(connection, transaction, $"reply-{i}@org{org}.example.tw", received, "reply", id, $"it{org}@org{org}.example.tw");
                connection.Execute(
                    """
                    INSERT INTO replies (mail_id, notice_id, matched_by, filler_name, filler_phone, filler_email, completed_on, filed_at)
                    VALUES (@mailId, @id, 'org-code', '王小明', '06-2345678', @email, @completed, @filed)
                    """,
                    new { mailId, id, email = $"it{org}@org{org}.example.tw", completed = Instants.FormatDate(today.AddDays(-3)), filed = Instants.Format(received) },
                    transaction);
                for (var f = 0; f < 3; f++)
                {
                    var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(i * 4 + f)));
                    connection.Execute(
                        """
                        INSERT INTO evidence (mail_id, ordinal, file_name, original_name, sha256, size, item, flags, content_type)
                        VALUES (@mailId, @f, @name, @name, @sha, 102400, @item, '', 'application/pdf')
                        """,
                        new { mailId, f, name = $"附件{f + 1}.pdf", sha, item = f + 1 }, transaction);
                }

                if (status == NoticeStatus.Confirmed)
                {
                    connection.Execute(
                        """
                        INSERT INTO phone_confirmations (notice_id, mail_id, confirmed_by, confirmed_at, note, recorded_at)
                        VALUES (@id, @mailId, '王承辦', @at, NULL, @at)
                        """,
                        new { id, mailId, at = Instants.Format(received.AddHours(1)) }, transaction);
                    if (i % 3 == 0)
                    {
                        connection.Execute(
                            """
                            INSERT INTO follow_ups (notice_id, round, result, until_date, tracked_by, tracked_at, recorded_at)
                            VALUES (@id, 1, 'extended', @until, '王承辦', @at, @at)
                            """,
                            new { id, until = Instants.FormatDate(today.AddDays(14)), at = Instants.Format(received.AddHours(2)) }, transaction);
                    }
                }
            }
        }

        for (var m = 0; m < count / 25; m++)
        {
            InsertMail(connection, transaction, $"other-{m}@stranger.example", asOf.AddHours(-(m % 72)), m % 2 == 0 ? "unmatched" : "ambiguous", null, $"someone{m}@stranger.example");
        }

        // The digest of the working day before: "new replies" are those since then, as on any ordinary morning (with no
        // digest before, the first one lists every reply ever filed).
        var previous = asOf.AddDays(asOf.DayOfWeek == DayOfWeek.Monday ? -3 : -1).Date.AddHours(8).AddMinutes(30);
        var previousAt = Instants.Format(new DateTimeOffset(previous, asOf.Offset));
        connection.Execute(
            """
            INSERT INTO outbound (kind, recipients, subject, idempotency_key, message_id, mime_path, status, attempts, next_attempt_at, created_at, sent_at)
            VALUES ('digest', 'staff@intake.test', '【每日摘要】', 'digest:previous>staff@intake.test', 'digest-previous@bench.example', 'outbound/digest-previous.eml',
                    'sent', 1, @at, @at, @at)
            """,
            new { at = previousAt }, transaction);
        transaction.Commit();
        connection.Execute("PRAGMA wal_checkpoint(TRUNCATE)");
        connection.Close();
        SqliteConnection.ClearAllPools();
    }

    private static string Code(int org) => $"DX{org:D8}";

    private static long InsertMail(SqliteConnection connection, SqliteTransaction transaction, string messageId, DateTimeOffset received, string kind, long? noticeId, string from)
    {
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(messageId)));
        return connection.ExecuteScalar<long>(
            """
            INSERT INTO mails (message_id, sha256, raw_path, size, source, received_at, kind, from_address, subject, notice_id, reason, processed_at)
            VALUES (@messageId, @sha, @raw, 420000, 'imap:INBOX:1:1', @at, @kind, @from, '回覆：限期改善單處理情形', @noticeId,
                    CASE WHEN @kind = 'reply' THEN NULL ELSE '找不到對應的限期改善單' END, @at)
            RETURNING id
            """,
            new { messageId, sha, raw = $"raw/{sha[..2]}/{sha}.eml", at = Instants.Format(received), kind, from, noticeId },
            transaction);
    }
}
