namespace MailIntake.Storage.Tests;

public sealed class DropFolderWaitingRepositoryTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    [Fact]
    public void Replace_FileStillNotMoved_KeepsWhenItWasFirstFound_FileNoLongerWaiting_IsNamedNoMore()
    {
        var waiting = new DropFolderWaitingRepository(_temp.Database);
        var first = TempDatabase.Now;
        waiting.Replace([
            new DropFileWaiting("/drop/a.eml", DropFileWait.NotMoved, first, "processed/a.eml（沒有存取權限）", first),
            new DropFileWaiting("/drop/b.eml", DropFileWait.OpenForWriting, first.AddMinutes(-30), null, first),
        ]);

        var later = first.AddMinutes(5);
        waiting.Replace([new DropFileWaiting("/drop/a.eml", DropFileWait.NotMoved, later, "processed/a.eml（沒有存取權限）", later)]);

        var a = Assert.Single(waiting.List());
        Assert.Equal(("/drop/a.eml", DropFileWait.NotMoved, first, later), (a.Path, a.Reason, a.Since, a.SeenAt));
        waiting.Replace([]);
        Assert.Empty(waiting.List());
    }

    [Fact]
    public void List_StoreFromBeforeTheTable_IsEmpty()
    {
        using (var connection = _temp.Database.Open())
        {
            Dapper.SqlMapper.Execute(connection, "DROP TABLE drop_folder_waiting");
        }

        Assert.Empty(new DropFolderWaitingRepository(_temp.Database).List());
    }

    public void Dispose() => _temp.Dispose();
}
