using MailIntake.Storage;

namespace MailIntake.Storage.Tests;

/// <summary>One worker per DataDirectory, whatever an administrator deletes to "clear a stale lock".</summary>
public sealed class DataDirectoryLockTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mailintake-lock-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void Acquire_SecondWhileHeld_RefusedNamingTheHoldersPid()
    {
        using var first = DataDirectoryLock.Acquire(_folder);

        var refused = Assert.Throws<DataDirectoryInUseException>(() => DataDirectoryLock.Acquire(_folder));

        Assert.Equal(Environment.ProcessId, refused.HolderPid);
    }

    [Fact]
    public void Acquire_LockAndPidFilesDeletedWhileHeld_StillRefused()
    {
        using var first = DataDirectoryLock.Acquire(_folder);
        foreach (var file in Directory.GetFiles(_folder))
            File.Delete(file);

        Assert.Throws<DataDirectoryInUseException>(() => DataDirectoryLock.Acquire(_folder));
    }

    [Fact]
    public void Acquire_AfterTheHolderLetGo_Succeeds()
    {
        DataDirectoryLock.Acquire(_folder).Dispose();

        using var second = DataDirectoryLock.Acquire(_folder);

        Assert.True(File.Exists(Path.Combine(_folder, DataDirectoryLock.PidFileName)));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
