namespace MailIntake.Storage.Tests;

public sealed class NoticeRepositoryTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    [Fact]
    public void Create_TwoNotices_GetsConsecutiveReferencesOfTheRocYear()
    {
        _temp.AddOrganisation();

        var first = _temp.AddNotice();
        var second = _temp.AddNotice();

        Assert.Equal("TN-115-0001", first.Reference);
        Assert.Equal("TN-115-0002", second.Reference);
        Assert.Equal(NoticeStatus.Issued, second.Status);
        Assert.Equal(["203.0.113.9"], second.MaliciousIps);
        Assert.Equal(new DateOnly(2026, 12, 10), second.Deadline);
    }

    [Fact]
    public void Create_AfterSequence9999_GivesTheNextNumberNotARepeat()
    {
        _temp.AddOrganisation();
        var first = _temp.AddNotice();
        using (var connection = _temp.Database.Open())
        {
            Dapper.SqlMapper.Execute(connection, "UPDATE notices SET reference = 'TN-115-9999' WHERE id = @Id", new { first.Id });
        }

        var tenThousandth = _temp.AddNotice();
        var next = _temp.AddNotice();

        Assert.Equal(("TN-115-10000", "TN-115-10001"), (tenThousandth.Reference, next.Reference));
        Assert.Equal("TN-115-10001", new NoticeRepository(_temp.Database).Get("TN-115-10001")!.Reference);
    }

    [Fact]
    public void Transition_FromAStatusTheNoticeNoLongerHas_ChangesNothing()
    {
        _temp.AddOrganisation();
        var notice = _temp.AddNotice();
        using (var session = _temp.Database.Begin())
        {
            Assert.True(NoticeRepository.Transition(session, notice.Id, NoticeStatus.Issued, NoticeStatus.Replied));
            Assert.False(NoticeRepository.Transition(session, notice.Id, NoticeStatus.Issued, NoticeStatus.Completed));
            session.Commit();
        }

        Assert.Equal(NoticeStatus.Replied, new NoticeRepository(_temp.Database).Get(notice.Id)!.Status);
    }

    [Fact]
    public void Session_DisposedWithoutCommit_LeavesNothingAndUndoesItsFiles()
    {
        _temp.AddOrganisation();
        var file = Path.Combine(_temp.Folder, "rendered.eml");
        using (var session = _temp.Database.Begin())
        {
            NoticeRepository.Create(session, new NewNotice("XC12345678", "10.1.2.3", ["203.0.113.9"], new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 15), new DateOnly(2026, 12, 10), ["項目"]), 115, TempDatabase.Now);
            File.WriteAllText(file, "x");
            session.OnRollback(() => File.Delete(file));
        }

        Assert.Empty(new NoticeRepository(_temp.Database).List());
        Assert.False(File.Exists(file));
    }

    [Fact]
    public void ListOpen_CompletedNotice_IsLeftOut()
    {
        _temp.AddOrganisation();
        var open = _temp.AddNotice();
        var closed = _temp.AddNotice();
        using (var connection = _temp.Database.Open())
        {
            Dapper.SqlMapper.Execute(connection, "UPDATE notices SET status = @completed WHERE id = @Id", new { closed.Id, completed = StoredCodes.Text(NoticeStatus.Completed) });
        }

        var listed = new NoticeRepository(_temp.Database).ListOpen();

        Assert.Equal([open.Reference], listed.Select(notice => notice.Reference));
    }

    public void Dispose() => _temp.Dispose();
}
