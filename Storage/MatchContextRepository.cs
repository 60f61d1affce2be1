using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Dapper;
using MailIntake.Parsing;

namespace MailIntake.Storage;

/// <summary>Loads what the reply matcher needs to know from the registry, the notices and the mail we sent.</summary>
public sealed class MatchContextRepository(Database database)
{
    private readonly Lock _gate = new();
    private (Fingerprint Key, MatchContext Context)? _cached;

    /// <summary>
    /// The matcher's view as of now. Every mail of a backlog needs it and reading it whole costs four table scans, so the
    /// notices and the registry are kept and read again only when their fingerprint changes (a notice issued, closed or
    /// reopened, the registry imported); the Message-IDs we sent are looked up in the database as the matcher asks.
    /// </summary>
    public MatchContext Load()
    {
        using var connection = database.Open();
        // One snapshot for the fingerprint and what it stands for.
        using var transaction = connection.BeginTransaction(deferred: true);
        var key = connection.QuerySingle<Fingerprint>(
            """
            SELECT (SELECT COUNT(*) FROM notices) AS Notices,
                   (SELECT IFNULL(MAX(id), 0) FROM notices) AS LastNotice,
                   (SELECT IFNULL(group_concat(id), '') FROM (SELECT id FROM notices WHERE status IN @closed ORDER BY id)) AS Closed,
                   (SELECT IFNULL(group_concat(code, char(10)), '') FROM (SELECT code FROM organisations ORDER BY code)) AS Codes,
                   (SELECT IFNULL(group_concat(org_code || ' ' || email, char(10)), '') FROM (SELECT org_code, email FROM organisation_emails ORDER BY org_code, email)) AS Emails
            """,
            new { closed = StoredCodes.ClosedStatuses },
            transaction);
        lock (_gate)
        {
            if (_cached is { } cached && cached.Key == key)
            {
                return cached.Context;
            }
        }

        var notices = connection.Query<(string Reference, string OrgCode, string Status)>(
                "SELECT reference, org_code, status FROM notices", transaction: transaction)
            .Select(row => new NoticeCandidate(row.Reference, row.OrgCode, StoredCodes.NoticeStatusOf(row.Status).IsOpen()))
            .ToList();
        var codes = connection.Query<string>("SELECT code FROM organisations", transaction: transaction)
            .Select(code => FullWidth.ToHalfWidth(code).ToUpperInvariant())
            .ToHashSet(StringComparer.Ordinal);
        var byEmail = connection.Query<(string Email, string OrgCode)>("SELECT email, org_code FROM organisation_emails", transaction: transaction)
            .GroupBy(row => row.Email.Trim().ToLowerInvariant())
            .ToDictionary(group => group.Key, group => (IReadOnlyList<string>)group.Select(row => row.OrgCode).Distinct().ToList());
        var context = new MatchContext(notices, codes, byEmail, new SentMessageIds(database));
        lock (_gate)
        {
            _cached = (key, context);
        }

        return context;
    }

    public long? NoticeId(string reference)
    {
        using var connection = database.Open();
        return connection.ExecuteScalar<long?>("SELECT id FROM notices WHERE reference = @reference", new { reference });
    }

    /// <summary>
    /// Everything of the notices and the registry that the matcher reads, in little: notices are only added (count, last id)
    /// and their reference and organisation never change, so only which of them are closed is listed; codes and addresses
    /// are listed whole (a registry is a few thousand rows at most).
    /// </summary>
    private sealed record Fingerprint(long Notices, long LastNotice, string Closed, string Codes, string Emails);

    /// <summary>
    /// The notice reference of each mail we sent, by its Message-ID: looked up in the database (a unique index) each time,
    /// so a receipt queued a moment ago counts at once, as when the whole table was read for every mail.
    /// </summary>
    private sealed class SentMessageIds(Database database) : IReadOnlyDictionary<string, string>
    {
        public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
        {
            using var connection = database.Open();
            value = connection.QuerySingleOrDefault<string?>(
                "SELECT n.reference FROM outbound o JOIN notices n ON n.id = o.notice_id WHERE o.message_id = @key",
                new { key });
            return value is not null;
        }

        public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

        public bool ContainsKey(string key) => TryGetValue(key, out _);

        public IEnumerable<string> Keys => All().Select(pair => pair.Key);

        public IEnumerable<string> Values => All().Select(pair => pair.Value);

        public int Count => All().Count;

        public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => All().GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        private List<KeyValuePair<string, string>> All()
        {
            using var connection = database.Open();
            return connection.Query<(string MessageId, string Reference)>(
                    "SELECT o.message_id, n.reference FROM outbound o JOIN notices n ON n.id = o.notice_id")
                .Select(row => KeyValuePair.Create(row.MessageId, row.Reference))
                .ToList();
        }
    }
}
