using Dapper;

namespace MailIntake.Storage.Tests;

public sealed class DatabaseTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    [Fact]
    public void Migrate_AppliedTwice_SecondRunAppliesNothingAndKeepsData()
    {
        _temp.AddOrganisation();

        var second = _temp.Database.Migrate(TempDatabase.Now);

        Assert.Empty(second);
        Assert.Single(new OrganisationRepository(_temp.Database).List());
        using var connection = _temp.Database.Open();
        Assert.Equal(
            connection.ExecuteScalar<long>("SELECT COUNT(*) FROM schema_migrations"),
            typeof(Database).Assembly.GetManifestResourceNames().Count(name => name.EndsWith(".sql", StringComparison.Ordinal)));
    }

    [Fact]
    public void Migrate_NewFile_UsesWriteAheadLogAndForeignKeys()
    {
        using var connection = _temp.Database.Open();

        Assert.Equal("wal", connection.ExecuteScalar<string>("PRAGMA journal_mode"));
        Assert.Equal(1, connection.ExecuteScalar<long>("PRAGMA foreign_keys"));
    }

    public void Dispose() => _temp.Dispose();
}
