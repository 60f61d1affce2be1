using Dapper;
using MailIntake.Parsing;

namespace MailIntake.Storage;

/// <summary>Loads what the reply matcher needs to know from the registry, the notices and the mail we sent.</summary>
public sealed class MatchContextRepository(Database database)
{
    public MatchContext Load()
    {
        using var connection = database.Open();
        var notices = connection.Query<(string Reference, string OrgCode, string Status)>(
                "SELECT reference, org_code, status FROM notices")
            .Select(row => new NoticeCandidate(row.Reference, row.OrgCode, NoticeStatus.IsOpen(row.Status)))
            .ToList();
        var codes = connection.Query<string>("SELECT code FROM organisations")
            .Select(code => FullWidth.ToHalfWidth(code).ToUpperInvariant())
            .ToHashSet(StringComparer.Ordinal);
        var byEmail = connection.Query<(string Email, string OrgCode)>("SELECT email, org_code FROM organisation_emails")
            .GroupBy(row => row.Email.Trim().ToLowerInvariant())
            .ToDictionary(group => group.Key, group => (IReadOnlyList<string>)group.Select(row => row.OrgCode).Distinct().ToList());
        var sent = connection.Query<(string MessageId, string Reference)>(
                """
                SELECT o.message_id, n.reference FROM outbound o JOIN notices n ON n.id = o.notice_id
                """)
            .ToDictionary(row => row.MessageId, row => row.Reference, StringComparer.Ordinal);
        return new MatchContext(notices, codes, byEmail, sent);
    }

    public long? NoticeId(string reference)
    {
        using var connection = database.Open();
        return connection.ExecuteScalar<long?>("SELECT id FROM notices WHERE reference = @reference", new { reference });
    }
}
