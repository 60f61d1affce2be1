namespace MailIntake.Storage.Tests;

/// <summary>A real SQLite file in a fresh temporary folder, migrated, removed after the test.</summary>
public sealed class TempDatabase : IDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 11, 27, 9, 0, 0, TimeSpan.FromHours(8));

    public TempDatabase()
    {
        Folder = Path.Combine(Path.GetTempPath(), "mailintake-storage-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        Database = new Database(Path.Combine(Folder, "mailintake.db"));
        Database.Migrate(Now);
    }

    public string Folder { get; }

    public Database Database { get; }

    public Organisation AddOrganisation(string code = "XC12345678", params string[] emails)
    {
        var organisation = new Organisation(code, $"測試機關 {code}", emails.Length > 0 ? emails : [$"{code.ToLowerInvariant()}@example.tw"], "06-1234567", "李大同");
        new OrganisationRepository(Database).Upsert([organisation], Now);
        return organisation;
    }

    public Notice AddNotice(string orgCode = "XC12345678")
    {
        using var session = Database.Begin();
        var notice = NoticeRepository.Create(
            session,
            new NewNotice(orgCode, "10.1.2.3", ["203.0.113.9"], new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 15), new DateOnly(2026, 12, 10), ["項目一", "項目二"]),
            rocYear: 115,
            Now);
        session.Commit();
        return notice;
    }

    /// <summary>A checkpoint by another process's connection (<paramref name="mode"/>), as a CLI command's or SQLite's own auto-checkpoint would.</summary>
    public void Checkpoint(string mode = "PASSIVE")
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Database.Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA wal_checkpoint({mode})";
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
    }
}
