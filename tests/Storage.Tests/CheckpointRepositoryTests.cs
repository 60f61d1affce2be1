namespace MailIntake.Storage.Tests;

public sealed class CheckpointRepositoryTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    [Fact]
    public void Save_LowerUidSameValidity_NeverMovesBack()
    {
        var checkpoints = new CheckpointRepository(_temp.Database);
        checkpoints.Save(new MailboxCheckpoint("box", 5, 20), TempDatabase.Now);

        checkpoints.Save(new MailboxCheckpoint("box", 5, 3), TempDatabase.Now);

        Assert.Equal(20, checkpoints.Get("box")!.LastUid);
    }

    [Fact]
    public void Save_NewUidValidity_ReplacesLastUid()
    {
        var checkpoints = new CheckpointRepository(_temp.Database);
        checkpoints.Save(new MailboxCheckpoint("box", 5, 20), TempDatabase.Now);

        checkpoints.Save(new MailboxCheckpoint("box", 6, 2), TempDatabase.Now);

        Assert.Equal(new MailboxCheckpoint("box", 6, 2), checkpoints.Get("box"));
    }

    public void Dispose() => _temp.Dispose();
}
