using System.Net.Sockets;
using MailIntake.Worker.Application;

namespace MailIntake.Worker.Tests;

public sealed class FileErrorTextTests
{
    [Fact]
    public void Describe_FolderUnderARegularFile_IsAFileSystemErrorNamingThePath()
    {
        var file = Path.GetTempFileName();
        try
        {
            var exception = Assert.ThrowsAny<IOException>(() => Directory.CreateDirectory(Path.Combine(file, "sub")));

            Assert.True(FileErrorText.IsFileSystem(exception));
            Assert.EndsWith($"（{file} 是檔案，不是資料夾）", FileErrorText.Describe(exception), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Describe_MissingFile_NamesItInChinese()
    {
        var missing = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "c00.eml");
        var exception = Assert.ThrowsAny<IOException>(() => File.ReadAllBytes(missing));

        Assert.True(FileErrorText.IsFileSystem(exception));
        Assert.DoesNotContain("Could not", FileErrorText.Describe(exception), StringComparison.Ordinal);
        Assert.Contains(missing[..^"c00.eml".Length].TrimEnd('/'), FileErrorText.Describe(exception), StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_AFolderOpenedAsAFile_SaysItIsAFolderNotThatAccessIsDenied()
    {
        var folder = Directory.CreateTempSubdirectory().FullName;
        try
        {
            var exception = Assert.ThrowsAny<Exception>(() => File.OpenRead(folder));

            Assert.Equal($"{folder}（是資料夾，不是檔案）", FileErrorText.Describe(exception));
        }
        finally
        {
            Directory.Delete(folder);
        }
    }

    [Fact]
    public void Describe_ALockFileInAFolderThatIsNotThere_SaysTheFolderIsNotThere()
    {
        // `backup /no/such/folder/x.zip` takes a lock file beside the archive first: it said 「沒有存取權限」 (h11x F10).
        var lockFile = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), ".x.zip.lock");
        var exception = Assert.ThrowsAny<Exception>(() => MailIntake.Storage.UnixFiles.TryLockFile(lockFile, create: true));

        Assert.Equal($"{lockFile}（找不到資料夾）", FileErrorText.Describe(exception));
    }

    [Fact]
    public void IsFileSystem_IOExceptionOverASocket_IsNot() =>
        Assert.False(FileErrorText.IsFileSystem(new IOException("Unable to read data from the transport connection", new SocketException(104))));
}
