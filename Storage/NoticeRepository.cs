using Dapper;
using MailIntake.Parsing;

namespace MailIntake.Storage;

public sealed class NoticeRepository(Database database)
{
    private const string SelectNotice = """
        SELECT n.id AS Id, n.reference AS Reference, n.org_code AS OrgCode, o.name AS OrgName, n.status AS Status,
               n.host_ip AS HostIp, n.malicious_ips AS MaliciousIps, n.incident_from AS IncidentFrom,
               n.incident_to AS IncidentTo, n.deadline AS Deadline, n.items AS Items, n.issued_at AS IssuedAt
        FROM notices n JOIN organisations o ON o.code = n.org_code
        """;

    /// <summary>Creates the notice with the next reference of its ROC year (TN-115-0001) and records "issued".</summary>
    public Notice Create(NewNotice notice, int rocYear, DateTimeOffset now)
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        var prefix = NoticeReference.Prefix(rocYear);
        var last = connection.ExecuteScalar<string?>(
            "SELECT MAX(reference) FROM notices WHERE reference LIKE @pattern",
            new { pattern = prefix + "%" },
            transaction);
        var sequence = last is null ? 1 : int.Parse(last[prefix.Length..], System.Globalization.CultureInfo.InvariantCulture) + 1;
        var reference = NoticeReference.Format(rocYear, sequence);
        var id = connection.ExecuteScalar<long>(
            """
            INSERT INTO notices (reference, org_code, status, host_ip, malicious_ips, incident_from, incident_to, deadline, original_deadline, items, issued_at)
            VALUES (@reference, @OrgCode, @status, @HostIp, @maliciousIps, @incidentFrom, @incidentTo, @deadline, @deadline, @items, @issuedAt)
            RETURNING id
            """,
            new
            {
                reference,
                notice.OrgCode,
                status = NoticeStatus.Issued,
                notice.HostIp,
                maliciousIps = string.Join(',', notice.MaliciousIps),
                incidentFrom = Instants.FormatDate(notice.IncidentFrom),
                incidentTo = Instants.FormatDate(notice.IncidentTo),
                deadline = Instants.FormatDate(notice.Deadline),
                items = string.Join('\n', notice.Items),
                issuedAt = Instants.Format(now),
            },
            transaction);
        TimelineRepository.Add(connection, transaction, id, now, TimelineEvent.Issued, $"限期改善單 {reference} 已開立，改善期限 {RocDate.Format(notice.Deadline)}");
        transaction.Commit();
        return Get(reference) ?? throw new InvalidOperationException($"notice {reference} vanished after insert");
    }

    public Notice? Get(string reference)
    {
        using var connection = database.Open();
        return connection.QuerySingleOrDefault<NoticeRow>(SelectNotice + " WHERE n.reference = @reference", new { reference })?.ToNotice();
    }

    public Notice? Get(long id)
    {
        using var connection = database.Open();
        return connection.QuerySingleOrDefault<NoticeRow>(SelectNotice + " WHERE n.id = @id", new { id })?.ToNotice();
    }

    public IReadOnlyList<Notice> List(string? status = null)
    {
        using var connection = database.Open();
        return connection.Query<NoticeRow>(
                SelectNotice + " WHERE (@status IS NULL OR n.status = @status) ORDER BY n.id",
                new { status })
            .Select(row => row.ToNotice())
            .ToList();
    }

    /// <summary>Notices still waiting for their organisation: everything not completed or suspended.</summary>
    public IReadOnlyList<Notice> ListOpen()
    {
        using var connection = database.Open();
        return connection.Query<NoticeRow>(
                SelectNotice + " WHERE n.status NOT IN ('completed', 'suspended') ORDER BY n.id")
            .Select(row => row.ToNotice())
            .ToList();
    }

    private sealed record NoticeRow(
        long Id, string Reference, string OrgCode, string OrgName, string Status, string HostIp, string MaliciousIps,
        string IncidentFrom, string IncidentTo, string Deadline, string Items, string IssuedAt)
    {
        public Notice ToNotice() => new(
            Id, Reference, OrgCode, OrgName, Status, HostIp,
            MaliciousIps.Split(',', StringSplitOptions.RemoveEmptyEntries),
            Instants.ParseDate(IncidentFrom), Instants.ParseDate(IncidentTo), Instants.ParseDate(Deadline),
            Items.Split('\n', StringSplitOptions.RemoveEmptyEntries),
            Instants.Parse(IssuedAt));
    }
}
