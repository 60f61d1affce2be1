namespace MailIntake.Storage.Tests;

/// <summary>
/// What the worker keeps of how far its database file has come (h21h L2) is trusted only while that worker runs: a mark
/// left by a worker that has stopped never turns a command away (the running case is end to end:
/// <c>DataDirectoryTests.NoticeFollowUp_OlderCopyWrittenOverTheDatabaseBeforeTheWorkerSawIt_*</c>).
/// </summary>
public sealed class WorkerDatabaseMarkTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    [Fact]
    public void PinWithAKeeper_ToldTheHeaderAtThePinAndOnlyWhenItMoves()
    {
        _temp.AddOrganisation();
        // The file at rest before it is pinned: a checkpoint the write-ahead log still owes (one a connection's close may
        // run at any moment) would move the header between the pin and the next look (seen once on a loaded machine).
        _temp.Checkpoint("TRUNCATE");
        var told = new List<DatabaseHeaderMark>();
        _temp.Database.Pin(told.Add);
        Assert.Single(told);
        Assert.Null(_temp.Database.WhyNotPinned());
        Assert.Single(told); // nothing checkpointed: the header did not move

        _temp.AddNotice();
        _temp.Checkpoint("TRUNCATE");
        Assert.Null(_temp.Database.WhyNotPinned());

        Assert.Equal(2, told.Count);
        Assert.True(told[0].IsBehind(told[1]), $"{told[0]} then {told[1]}");
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void IsOlderCopyUnderWorker_MarkAheadOfTheFileButNoWorkerRuns_False()
    {
        _temp.AddOrganisation();
        var identity = UnixFiles.Identity(_temp.Database.Path)!.Value;
        WorkerDatabaseMark.Write(_temp.Folder, identity, new DatabaseHeaderMark(true, 1_000_000, 1_000_000));

        Assert.False(WorkerDatabaseMark.IsOlderCopyUnderWorker(_temp.Folder, _temp.Database.Path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_temp.Folder, WorkerDatabaseMark.FileName)));
    }

    [Fact]
    public void IsOlderCopyUnderWorker_NoMarkOrAGarbledOne_False()
    {
        _temp.AddOrganisation();
        Assert.False(WorkerDatabaseMark.IsOlderCopyUnderWorker(_temp.Folder, _temp.Database.Path));
        File.WriteAllText(Path.Combine(_temp.Folder, WorkerDatabaseMark.FileName), "pid=x\ngeneration=-1\n");
        Assert.False(WorkerDatabaseMark.IsOlderCopyUnderWorker(_temp.Folder, _temp.Database.Path));
    }

    public void Dispose() => _temp.Dispose();
}
