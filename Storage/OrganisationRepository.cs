using Dapper;
using Microsoft.Data.Sqlite;

namespace MailIntake.Storage;

public sealed class OrganisationRepository(Database database)
{
    /// <summary>Inserts or updates organisations; an update replaces the organisation's email addresses.</summary>
    public (int Inserted, int Updated) Upsert(IEnumerable<Organisation> organisations, DateTimeOffset now)
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        var result = Write(connection, transaction, organisations, now);
        transaction.Commit();
        return result;
    }

    /// <summary>
    /// Reads the registry and writes the organisations <paramref name="decide"/> picks from it, in one write
    /// transaction taken before the read: nothing can change the registry between what was compared and what is written.
    /// </summary>
    public T Change<T>(Func<IReadOnlyList<Organisation>, (IReadOnlyList<Organisation> Write, T Result)> decide, DateTimeOffset now)
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction(deferred: false);
        var (write, result) = decide(List(connection, transaction));
        Write(connection, transaction, write, now);
        transaction.Commit();
        return result;
    }

    public IReadOnlyList<Organisation> List()
    {
        using var connection = database.Open();
        return List(connection, transaction: null);
    }

    /// <summary>The registered phone of each organisation with an open notice (null when it has none).</summary>
    public IReadOnlyDictionary<string, string?> PhonesOfOpenNotices()
    {
        using var connection = database.Open();
        return connection.Query<(string Code, string? Phone)>(
                "SELECT code, phone FROM organisations WHERE code IN (SELECT org_code FROM notices WHERE status NOT IN @closed)",
                new { closed = StoredCodes.ClosedStatuses })
            .ToDictionary(row => row.Code, row => row.Phone, StringComparer.Ordinal);
    }

    /// <summary>The organisation's registered addresses, read inside a use case's session.</summary>
    public static IReadOnlyList<string> Emails(StorageSession session, string code) =>
        session.Connection.Query<string>("SELECT email FROM organisation_emails WHERE org_code = @code ORDER BY rowid", new { code }, session.Transaction).ToList();

    /// <summary>
    /// The organisations other than <paramref name="except"/> that registered <paramref name="address"/>, as 「CODE 名稱」,
    /// read inside a session; empty for none, no address, or an address <paramref name="except"/> registered too.
    /// </summary>
    public static IReadOnlyList<string> RegisteredElsewhere(StorageSession session, string? address, string except) =>
        address is null ? []
        : session.Connection.Query<string>(
                """
                SELECT DISTINCT o.code || ' ' || o.name FROM organisation_emails e JOIN organisations o ON o.code = e.org_code
                WHERE lower(e.email) = lower(@address) AND o.code <> @except
                  AND NOT EXISTS (SELECT 1 FROM organisation_emails own WHERE lower(own.email) = lower(@address) AND own.org_code = @except)
                ORDER BY 1
                """,
                new { address, except },
                session.Transaction)
            .ToList();

    /// <summary>The organisation's registered phone (null when none), read inside a session.</summary>
    public static string? Phone(StorageSession session, string code) =>
        session.Connection.QuerySingleOrDefault<string?>("SELECT phone FROM organisations WHERE code = @code", new { code }, session.Transaction);

    public Organisation? Find(string code)
    {
        using var connection = database.Open();
        var row = connection.QuerySingleOrDefault<OrganisationRow>(
            "SELECT code AS Code, name AS Name, phone AS Phone, contact AS Contact FROM organisations WHERE code = @code",
            new { code });
        if (row is null)
        {
            return null;
        }

        var emails = connection.Query<string>(
            "SELECT email FROM organisation_emails WHERE org_code = @code ORDER BY rowid", new { code });
        return row.ToOrganisation(emails.ToList());
    }

    private static List<Organisation> List(SqliteConnection connection, SqliteTransaction? transaction)
    {
        var rows = connection.Query<OrganisationRow>(
            "SELECT code AS Code, name AS Name, phone AS Phone, contact AS Contact FROM organisations ORDER BY code",
            transaction: transaction);
        var emails = connection.Query<(string OrgCode, string Email)>(
                "SELECT org_code, email FROM organisation_emails ORDER BY org_code, rowid", transaction: transaction)
            .ToLookup(row => row.OrgCode, row => row.Email);
        return rows.Select(row => row.ToOrganisation(emails[row.Code].ToList())).ToList();
    }

    private static (int Inserted, int Updated) Write(
        SqliteConnection connection, SqliteTransaction transaction, IEnumerable<Organisation> organisations, DateTimeOffset now)
    {
        int inserted = 0, updated = 0;
        foreach (var organisation in organisations)
        {
            var exists = connection.ExecuteScalar<long>(
                "SELECT COUNT(*) FROM organisations WHERE code = @Code", new { organisation.Code }, transaction) > 0;
            connection.Execute(
                """
                INSERT INTO organisations (code, name, phone, contact, updated_at)
                VALUES (@Code, @Name, @Phone, @Contact, @UpdatedAt)
                ON CONFLICT (code) DO UPDATE SET
                    name = excluded.name, phone = excluded.phone,
                    contact = excluded.contact, updated_at = excluded.updated_at
                """,
                new { organisation.Code, organisation.Name, organisation.Phone, organisation.Contact, UpdatedAt = Instants.Format(now) },
                transaction);
            connection.Execute("DELETE FROM organisation_emails WHERE org_code = @Code", new { organisation.Code }, transaction);
            foreach (var email in organisation.Emails.Distinct(StringComparer.OrdinalIgnoreCase))
            {
                connection.Execute(
                    "INSERT INTO organisation_emails (org_code, email) VALUES (@Code, @Email)",
                    new { organisation.Code, Email = email },
                    transaction);
            }

            if (exists) updated++; else inserted++;
        }

        return (inserted, updated);
    }

    private sealed record OrganisationRow(string Code, string Name, string? Phone, string? Contact)
    {
        public Organisation ToOrganisation(IReadOnlyList<string> emails) => new(Code, Name, emails, Phone, Contact);
    }
}
