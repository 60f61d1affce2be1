using System.Globalization;
using Dapper;
using MailIntake.Parsing;
using MailIntake.Storage;
using Microsoft.Data.Sqlite;

namespace MailIntake.Bench;

public sealed record BenchOrganisation(string Code, string Name, string Email, string Domain, string Reference);

/// <summary>
/// The registry and notices the backlog is matched against, written straight into a freshly migrated database
/// (the schema comes from MailIntake.Storage's own migrations): one open notice per organisation.
/// </summary>
public sealed class Registry
{
    public const int RocYear = 115;

    private Registry(IReadOnlyList<BenchOrganisation> organisations) => Organisations = organisations;

    public IReadOnlyList<BenchOrganisation> Organisations { get; }

    public static Registry Create(int count) =>
        new(Enumerable.Range(1, count)
            .Select(i => new BenchOrganisation(
                Code: string.Create(CultureInfo.InvariantCulture, $"BX{10000000 + i * 37:D8}"),
                Name: $"臺南市測試機關{i:D4}",
                Email: $"it{i}@org{i}.example.tw",
                Domain: $"org{i}.example.tw",
                Reference: NoticeReference.Format(RocYear, i)))
            .ToList());

    /// <summary>Creates DataDirectory/mailintake.db with the schema, the registry and its notices.</summary>
    public void WriteDatabase(string dataDirectory, DateTimeOffset now)
    {
        Directory.CreateDirectory(dataDirectory);
        var database = new Database(Path.Combine(dataDirectory, "mailintake.db"));
        database.Migrate(now);
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        foreach (var org in Organisations)
        {
            connection.Execute(
                "INSERT INTO organisations (code, name, phone, contact, updated_at) VALUES (@Code, @Name, '06-2345678', '王小明', @now)",
                new { org.Code, org.Name, now = Instants.Format(now) }, transaction);
            connection.Execute("INSERT INTO organisation_emails (org_code, email) VALUES (@Code, @Email)", org, transaction);
            InsertNotice(connection, transaction, org.Reference, org.Code, NoticeStatus.Issued, new DateOnly(2026, 12, 10), now);
        }

        transaction.Commit();
        SqliteConnection.ClearAllPools();
    }

    internal static long InsertNotice(
        SqliteConnection connection, SqliteTransaction transaction, string reference, string orgCode, NoticeStatus status, DateOnly deadline, DateTimeOffset issuedAt) =>
        connection.ExecuteScalar<long>(
            """
            INSERT INTO notices (reference, org_code, status, host_ip, malicious_ips, incident_from, incident_to, deadline, original_deadline, items, issued_at)
            VALUES (@reference, @orgCode, @status, '10.1.2.3', '203.0.113.9', '2026-11-01', '2026-11-15', @deadline, @deadline,
                    '封鎖惡意 IP' || char(10) || '全面掃毒' || char(10) || '更新修補', @issuedAt)
            RETURNING id
            """,
            new { reference, orgCode, status = StoredCodes.Text(status), deadline = Instants.FormatDate(deadline), issuedAt = Instants.Format(issuedAt) },
            transaction);
}
