using MailIntake.Worker.Options;
using MailIntake.Worker.StaffActions;
using MailIntake.Worker.Tests.Documents;

namespace MailIntake.Worker.Tests.StaffActions;

public sealed class ActionKeyStoreTests
{
    [Fact]
    public void Key_NoneConfigured_IsGeneratedOnceIntoTheDataDirectoryReadableByTheOwnerOnly()
    {
        using var directory = new TempDirectory();
        var options = new MailIntakeOptions { DataDirectory = directory.Path };

        var first = new ActionKeyStore(options).Key;
        var second = new ActionKeyStore(options).Key;

        Assert.Equal(32, first.Length);
        Assert.Equal(first, second);
        var path = Path.Combine(directory.Path, ActionKeyStore.FileName);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        Assert.Single(Directory.GetFiles(directory.Path));
    }

    [Fact]
    public void Key_Configured_IsUsedAndNothingIsWritten()
    {
        using var directory = new TempDirectory();
        var options = new MailIntakeOptions { DataDirectory = directory.Path };
        options.Staff.ActionKey = new string('k', 40);

        Assert.Equal(new string('k', 40), System.Text.Encoding.UTF8.GetString(new ActionKeyStore(options).Key));
        Assert.Empty(Directory.GetFiles(directory.Path));
    }

    [Fact]
    public void Key_DamagedFile_FailsNamingTheFile()
    {
        using var directory = new TempDirectory();
        File.WriteAllText(Path.Combine(directory.Path, ActionKeyStore.FileName), "not base64 !!");

        var store = new ActionKeyStore(new MailIntakeOptions { DataDirectory = directory.Path });

        var error = Assert.Throws<ActionKeyUnusableException>(() => store.Key);

        Assert.EndsWith(ActionKeyStore.FileName, error.File, StringComparison.Ordinal);
        Assert.Contains("base64", error.Reason, StringComparison.Ordinal);
        Assert.Same(error, store.Problem());
    }

    [Theory]
    [InlineData(0, "0 位元組")]
    [InlineData(20, "金鑰只有 15 位元組")]
    public void Problem_KeyCutShort_NamesHowShort(int base64Characters, string says)
    {
        using var directory = new TempDirectory();
        File.WriteAllText(Path.Combine(directory.Path, ActionKeyStore.FileName), new string('A', base64Characters));

        var problem = new ActionKeyStore(new MailIntakeOptions { DataDirectory = directory.Path }).Problem();

        Assert.NotNull(problem);
        Assert.Contains(says, problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsureCreated_DamagedKeyThere_LeavesItAsItIs()
    {
        using var directory = new TempDirectory();
        var file = Path.Combine(directory.Path, ActionKeyStore.FileName);
        File.WriteAllText(file, "");

        new ActionKeyStore(new MailIntakeOptions { DataDirectory = directory.Path }).EnsureCreated();

        Assert.Equal(0, new FileInfo(file).Length);
    }
}
