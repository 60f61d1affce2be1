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
    public void Create_Notice_RecordsIssuedOnTimeline()
    {
        _temp.AddOrganisation();

        var notice = _temp.AddNotice();

        var entry = Assert.Single(new TimelineRepository(_temp.Database).List(notice.Id));
        Assert.Equal(TimelineEvent.Issued, entry.Event);
        Assert.Contains("中華民國115年12月10日", entry.Detail);
    }

    [Fact]
    public void ListOpen_CompletedNotice_IsLeftOut()
    {
        _temp.AddOrganisation();
        var open = _temp.AddNotice();
        var closed = _temp.AddNotice();
        using (var connection = _temp.Database.Open())
        {
            Dapper.SqlMapper.Execute(connection, "UPDATE notices SET status = 'completed' WHERE id = @Id", new { closed.Id });
        }

        var listed = new NoticeRepository(_temp.Database).ListOpen();

        Assert.Equal([open.Reference], listed.Select(notice => notice.Reference));
    }

    public void Dispose() => _temp.Dispose();
}
