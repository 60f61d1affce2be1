using MailIntake.Storage;

namespace MailIntake.Storage.Tests;

/// <summary><see cref="OwnFiles.IsInside"/>: a command's output is never written into DataDirectory, however the path is spelled.</summary>
public sealed class OwnFilesTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "mailintake-inside-" + Guid.NewGuid().ToString("N"));

    public OwnFilesTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "data", "raw", "ab"));
        Directory.CreateDirectory(Path.Combine(_root, "elsewhere"));
        File.WriteAllText(Path.Combine(_root, "data", "mailintake.db"), "db");
        Directory.CreateSymbolicLink(Path.Combine(_root, "alias"), Path.Combine(_root, "data"));
        File.CreateSymbolicLink(Path.Combine(_root, "elsewhere", "db-link"), Path.Combine(_root, "data", "mailintake.db"));
    }

    private string Data => Path.Combine(_root, "data");

    [Theory]
    [InlineData("data/mailintake.db")]
    [InlineData("data/raw/ab/ab00.eml")]
    [InlineData("data/new-folder/x.zip")]
    [InlineData("elsewhere/../data/mailintake.db")]
    [InlineData("alias/mailintake.db")]
    [InlineData("alias/raw/ab/new.eml")]
    [InlineData("elsewhere/db-link")]
    [InlineData("data")]
    public void IsInside_PathsIntoDataDirectory_True(string relative) =>
        Assert.True(OwnFiles.IsInside(Data, Path.Combine(_root, relative)), relative);

    [Theory]
    [InlineData("elsewhere/backup.zip")]
    [InlineData("data-backup.zip")]
    [InlineData("database/x.zip")]
    public void IsInside_PathsOutside_False(string relative) =>
        Assert.False(OwnFiles.IsInside(Data, Path.Combine(_root, relative)), relative);

    [Fact]
    public void IsInside_DataDirectoryNamedThroughALink_True() =>
        Assert.True(OwnFiles.IsInside(Path.Combine(_root, "alias"), Path.Combine(Data, "mailintake.db")));

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
