using Dapper;
using MailIntake.Parsing;

namespace MailIntake.Storage;

/// <summary>Loads what the reply matcher needs to know from the registry, the notices and the mail we sent.</summary>
public sealed class MatchContextRepository(Database database)
{
    /// <summary>
    /// The domain of the Message-IDs of the mail we send (the sender address's): a mail answering one of ours that no
    /// outbound row knows answers a mail a restore lost (<see cref="MatchContext.LostThreadIds"/>). None: not looked for.
    /// </summary>
    public string? OwnMessageIdDomain { get; init; }

    private readonly Lock _gate = new();
    private (long Version, MatchContext Context)? _cached;

    /// <summary>
    /// The matcher's view as of now, with the notice of each of <paramref name="threadIds"/> (the Message-IDs a mail answers)
    /// that is a mail we sent. Every mail of a backlog needs it and reading it whole costs three table scans, so the notices
    /// and the registry are kept and read again only when <c>registry_version</c> moves: triggers bump it in the transaction
    /// of every write the matcher depends on (a notice issued, closed or reopened, a code or an address changed), so a mail
    /// reads one row, whatever the size of the registry. The mail's own Message-IDs are looked up by their unique index each
    /// time (a receipt queued a moment ago counts).
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
        var ours = OwnMessageIdDomain is { Length: > 0 } domain
            ? threadIds.Where(id => id.EndsWith("@" + domain, StringComparison.OrdinalIgnoreCase)).ToList()
            : [];
        var known = ours.Count == 0 ? []
            : connection.Query<string>("SELECT message_id FROM outbound WHERE message_id IN @ours", new { ours }).ToHashSet(StringComparer.Ordinal);
        return context with { NoticeByMessageId = sent, LostThreadIds = ours.Where(id => !known.Contains(id)).Distinct(StringComparer.Ordinal).ToList() };
    }

    private MatchContext LoadRegistry()
    {
        using var connection = database.Open();
        // One snapshot for the version and what it stands for.
        using var transaction = connection.BeginTransaction(deferred: true);
        var version = connection.ExecuteScalar<long>("SELECT version FROM registry_version WHERE id = 1", transaction: transaction);
        lock (_gate)
        {
            if (_cached is { } cached && cached.Version == version)
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
            _cached = (version, context);
        }

        return context;
    }

    public long? NoticeId(string reference)
    {
        using var connection = database.Open();
        return connection.ExecuteScalar<long?>("SELECT id FROM notices WHERE reference = @reference", new { reference });
    }
}
