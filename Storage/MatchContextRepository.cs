using Dapper;
using MailIntake.Parsing;

namespace MailIntake.Storage;

/// <summary>Loads what the reply matcher needs to know from the registry, the notices and the mail we sent.</summary>
public sealed class MatchContextRepository(Database database)
{
    private readonly Lock _gate = new();
    private (Fingerprint Key, MatchContext Context)? _cached;

    /// <summary>
    /// The matcher's view as of now, with the notice of each of <paramref name="threadIds"/> (the Message-IDs a mail answers)
    /// that is a mail we sent. Every mail of a backlog needs it and reading it whole costs four table scans, so the notices
    /// and the registry are kept and read again only when their fingerprint changes (a notice issued, closed or reopened,
    /// the registry imported); the mail's own Message-IDs are looked up each time (a receipt queued a moment ago counts).
    /// </summary>
    public MatchContext Load(IReadOnlyCollection<string>? threadIds = null)
    {
        var context = LoadRegistry();
        if (threadIds is not { Count: > 0 })
        {
            return context;
        }

        using var connection = database.Open();
        var sent = connection.Query<(string MessageId, string Reference)>(
                "SELECT o.message_id, n.reference FROM outbound o JOIN notices n ON n.id = o.notice_id WHERE o.message_id IN @threadIds",
                new { threadIds })
            .ToDictionary(row => row.MessageId, row => row.Reference, StringComparer.Ordinal);
        return context with { NoticeByMessageId = sent };
    }

    private MatchContext LoadRegistry()
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
        var context = new MatchContext(notices, codes, byEmail, new Dictionary<string, string>());
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
}
