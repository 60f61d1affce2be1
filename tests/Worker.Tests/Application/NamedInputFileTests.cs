using System.Diagnostics;
using MailIntake.Worker.Application;

namespace MailIntake.Worker.Tests.Application;

public sealed class NamedInputFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("named-input-").FullName;

    [Fact]
    public void Read_LinkToARegularFile_ReadsWhatItLeadsTo()
    {
        var file = Path.Combine(_folder, "items.txt");
        File.WriteAllText(file, "一\n二\n");
        var link = Path.Combine(_folder, "link.txt");
        File.CreateSymbolicLink(link, file);

        Assert.Equal(File.ReadAllBytes(file), NamedInputFile.Read(link, NamedInputFile.SmallTextLimit));
    }

    /// <summary>A named pipe nobody writes to would hold a reader for ever: refused at once, without a wait.</summary>
    [Fact]
    public void Read_NamedPipe_IsRefusedAsNotARegularFile()
    {
        var fifo = Path.Combine(_folder, "pipe");
        using (var mkfifo = Process.Start("mkfifo", fifo))
        {
            mkfifo.WaitForExit();
        }

        var refused = Assert.Throws<NamedInputFileException>(() => NamedInputFile.Read(fifo, NamedInputFile.SmallTextLimit));

        Assert.Equal($"不是一般檔案（裝置、具名管道或 socket）：{fifo}", refused.Message);
    }

    [Fact]
    public void Read_FileOneByteOverTheLimit_IsRefusedNamingTheLimit()
    {
        var file = Path.Combine(_folder, "orgs.csv");
        File.WriteAllBytes(file, new byte[1001]);

        var refused = Assert.Throws<NamedInputFileException>(() => NamedInputFile.Read(file, 1000));

        Assert.Equal($"檔案過大：{file}（1001 位元組，上限 1000 位元組）", refused.Message);
    }

    [Fact]
    public void Read_Missing_SaysNotFound()
    {
        var missing = Path.Combine(_folder, "none.csv");

        Assert.Equal($"找不到檔案：{missing}", Assert.Throws<NamedInputFileException>(() => NamedInputFile.Read(missing, 1024)).Message);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
