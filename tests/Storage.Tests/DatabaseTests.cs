using Dapper;

namespace MailIntake.Storage.Tests;

public sealed class DatabaseTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    /// <summary>
    /// h30h P4: a database file marked immutable (chattr +i: no user may write it, root included) failed every intake
    /// pass while status said 收件：正常 and the disk writable — only a permission refusal (EACCES) was looked for.
    /// </summary>
    [Fact]
    public void WhyNotWritable_DatabaseFileMarkedImmutable_NamesItAndHowToClearIt()
    {
        var path = Path.Combine(_temp.Folder, "mailintake.db");
        Assert.Null(_temp.Database.WhyNotWritable());
        Chattr("+i", path);
        try
        {
            var refused = new Database(path).WhyNotWritable();

            Assert.IsType<DatabaseNotWritableException>(refused);
            Assert.Contains($"{path} 設有不可修改屬性（immutable），任何使用者皆無法寫入；請以 lsattr 查看、chattr -i 解除", refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            Chattr("-i", path);
        }
    }

    private static void Chattr(string flag, string path)
    {
        using var chattr = System.Diagnostics.Process.Start("chattr", [flag, path])!;
        chattr.WaitForExit();
        Assert.True(chattr.ExitCode == 0, $"chattr {flag} {path} failed (the test needs root on a file system with attributes)");
    }

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

    /// <summary>
    /// h11y N9: only Migrate makes a database, whole; opening never creates one. A file gone from under a running process
    /// (its DataDirectory moved away) was made again as 0 bytes, which every command now refuses as a database lost.
    /// </summary>
    [Fact]
    public void Open_DatabaseFileGone_FailsAndCreatesNothing()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(_temp.Folder))
        {
            File.Delete(file);
        }

        Assert.Throws<Microsoft.Data.Sqlite.SqliteException>(() => _temp.Database.Open().Dispose());

        Assert.Empty(Directory.GetFileSystemEntries(_temp.Folder));
    }

    [Fact]
    public void Migrate_NewFolder_MakesTheDatabaseWholeAndLeavesNoTemporaryFile()
    {
        var folder = Path.Combine(_temp.Folder, "new");
        var database = new Database(Path.Combine(folder, "mailintake.db"));

        database.Migrate(TempDatabase.Now);

        Assert.True(new FileInfo(database.Path).Length >= Database.HeaderBytes);
        Assert.DoesNotContain(Directory.GetFiles(folder).Select(Path.GetFileName),
            name => !name!.StartsWith("mailintake.db", StringComparison.Ordinal) || name.Contains(".new-", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(99)]
    public void RefuseEmpty_FileShorterThanTheHeader_ThrowsNamingItsLength(int length)
    {
        var path = Path.Combine(_temp.Folder, "short.db");
        File.WriteAllBytes(path, new byte[length]);

        var refused = Assert.Throws<DatabaseEmptyException>(() => Database.RefuseEmpty(path));

        Assert.Equal((path, (long)length), (refused.File, refused.Length));
    }

    [Fact]
    public void RefuseEmpty_AWholeDatabase_Passes() => Database.RefuseEmpty(_temp.Database.Path);

    /// <summary>
    /// Hostile finding h11z F11: a mailintake.db that is a symbolic link to a whole database (moved to another disk and
    /// linked) was measured by the link's own length and called lost — 「請由備份還原」, which throws away every mail since.
    /// SQLite opens it through the link; so is it measured.
    /// </summary>
    [Fact]
    public void RefuseEmpty_LinkToAWholeDatabase_Passes()
    {
        var link = Path.Combine(_temp.Folder, "linked.db");
        File.CreateSymbolicLink(link, _temp.Database.Path);

        Database.RefuseEmpty(link);
    }

    /// <summary>
    /// h15h K3: an older copy written over the pinned file (the same inode) is seen at the next connection, however little
    /// was written since the copy (no growth: the page count alone would not move), once a checkpoint has written it.
    /// </summary>
    [Fact]
    public void Open_OlderCopyWrittenOverThePinnedFileAfterACheckpoint_ThrowsOlderCopyAndStaysThat()
    {
        var database = _temp.Database;
        database.Pin();
        _temp.AddOrganisation();
        var notice = _temp.AddNotice();
        _temp.Checkpoint();
        var older = File.ReadAllBytes(database.Path);
        using (var session = database.Begin())
        {
            Assert.True(NoticeRepository.Redate(session, notice.Id, notice.Deadline, notice.Deadline.AddDays(7)));
            session.Commit();
        }

        _temp.Checkpoint();
        Assert.Null(database.WhyNotPinned());
        // The file changed in place: its size in pages is what the copy's was.
        Assert.Equal(DatabaseHeaderMark.Parse(older).Pages, DatabaseHeaderMark.Parse(File.ReadAllBytes(database.Path)).Pages);

        File.WriteAllBytes(database.Path, older);

        var thrown = Assert.Throws<DatabaseReplacedException>(() => database.Open().Dispose());
        Assert.True(thrown.OlderCopy);
        Assert.Equal(database.Path, thrown.File);
        // A later checkpoint writing newer pages into it does not make it whole again.
        _temp.Checkpoint();
        Assert.True(database.WhyNotPinned() is { OlderCopy: true });
    }

    /// <summary>The pinned file as SQLite writes it — sessions, checkpoints, growth — is never taken for an older copy.</summary>
    [Fact]
    public void Open_PinnedFileWrittenAndCheckpointedBySqlite_NeverTakenForAnOlderCopy()
    {
        var database = _temp.Database;
        database.Pin();
        _temp.AddOrganisation();
        for (var round = 0; round < 30; round++)
        {
            _temp.AddNotice();
            if (round % 7 == 0)
            {
                _temp.Checkpoint();
            }

            Assert.Null(database.WhyNotPinned());
        }
    }

    public void Dispose() => _temp.Dispose();
}
