using MailIntake.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MailIntake.Worker.Tests;

/// <summary>
/// AppHost's guards before a store is used (h11y N9): a database file shorter than SQLite's 100-byte header (0 bytes: a
/// failing disk, an interrupted copy, <c>&gt; mailintake.db</c>) is a database lost, never a new store to set up.
/// </summary>
public sealed class AppHostTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mailintake-apphost-" + Guid.NewGuid().ToString("N"));

    private string DataDirectory => Path.Combine(_folder, "data");

    private string DatabaseFile => Path.Combine(DataDirectory, "mailintake.db");

    [Theory]
    [InlineData(0)]
    [InlineData(99)]
    public void Prepare_DatabaseFileShorterThanItsHeader_RefusedNamingItAndNothingCreated(int length)
    {
        Directory.CreateDirectory(DataDirectory);
        File.WriteAllBytes(DatabaseFile, new byte[length]);
        using var host = Build();

        var refused = Assert.ThrowsAny<IOException>(() => AppHost.Prepare(host.Services));

        Assert.Contains(DatabaseFile, refused.Message, StringComparison.Ordinal);
        Assert.Equal(length, new FileInfo(DatabaseFile).Length);
        Assert.Equal(["mailintake.db"], Directory.GetFileSystemEntries(DataDirectory).Select(Path.GetFileName));
    }

    [Fact]
    public void RequireStore_EmptyDatabaseFileBesideRawMail_RefusedAndNothingCreated()
    {
        var raw = Path.Combine(DataDirectory, "raw", "ab");
        Directory.CreateDirectory(raw);
        File.WriteAllText(Path.Combine(raw, "ab12.eml"), "Subject: kept\r\n\r\nbody\r\n");
        File.WriteAllBytes(DatabaseFile, []);
        using var host = Build();

        var refused = Assert.ThrowsAny<IOException>(() => AppHost.RequireStore(host.Services));

        Assert.Contains(DatabaseFile, refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, new FileInfo(DatabaseFile).Length);
        Assert.False(File.Exists(Path.Combine(DataDirectory, "action-link.key")));
    }

    [Fact]
    public void Prepare_NoDatabaseFileAndNoRawMail_SetsUpANewStore()
    {
        using var host = Build();

        AppHost.Prepare(host.Services);

        Assert.True(new FileInfo(DatabaseFile).Length >= 100);
        Assert.True(File.Exists(Path.Combine(DataDirectory, "action-link.key")));
        Assert.Empty(host.Services.GetRequiredService<OrganisationRepository>().List());
    }

    private IHost Build() => AppHost.Build(verbose: false, new Dictionary<string, string?>
    {
        ["MailIntake:DataDirectory"] = DataDirectory,
        ["MailIntake:Mailbox:Kind"] = "Folder",
        ["MailIntake:Mailbox:DropFolder"] = Path.Combine(_folder, "inbox"),
        ["MailIntake:Smtp:Kind"] = "Folder",
        ["MailIntake:Smtp:PickupFolder"] = Path.Combine(_folder, "sent"),
        ["MailIntake:Smtp:From"] = "center@intake.test",
    });

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
