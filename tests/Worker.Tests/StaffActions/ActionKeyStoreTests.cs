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

        var error = Assert.Throws<InvalidOperationException>(() => new ActionKeyStore(new MailIntakeOptions { DataDirectory = directory.Path }).Key);

        Assert.Contains(ActionKeyStore.FileName, error.Message, StringComparison.Ordinal);
    }
}
