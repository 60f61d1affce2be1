using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.EndToEnd.Tests.TestData;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary>
/// The folder mailbox (the embedded default) never reads a mail another program is still writing: a half-written
/// <c>.eml</c> was once filed as a complete reply with its evidence cut short.
/// </summary>
public sealed class DropFolderTests(ITestOutputHelper output) : EndToEndTest(output)
{
    [Fact]
    public async Task HalfWrittenFileStillBeingWritten_IsNotReadThenFiledWholeOnceWritten()
    {
        // The test's own writer may stall for seconds on a loaded machine: a quiet period well above any such stall.
        var cli = DropFolderCli(quietPeriod: "00:00:10");
        await cli.ImportOrgsAsync(Orgs.Csv);
        var reference = await cli.IssueNoticeAsync(Orgs.TestGuild);
        var reply = TestMessages.OutlookBig5Reply();
        var whole = Crlf.Serialize(reply.Message);
        var path = Path.Combine(DropFolder, "reply.eml");
        Directory.CreateDirectory(DropFolder);

        CliResult firstRun;
        await using (var writer = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read))
        {
            var half = whole.Length / 2;
            await writer.WriteAsync(whole.AsMemory(0, half));
            await writer.FlushAsync();
            // A slow writer: the file stays half written, and keeps being written to, for as long as the run lasts.
            using var stop = new CancellationTokenSource();
            var trickle = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    writer.Seek(half - 1, SeekOrigin.Begin);
                    await writer.WriteAsync(whole.AsMemory(half - 1, 1));
                    await writer.FlushAsync();
                    await Task.Delay(100);
                }
            });
            // run --once waits up to five quiet periods for the file before leaving it for a later pass.
            firstRun = await cli.RunAsync(TimeSpan.FromMinutes(5), "run", "--once");
            await stop.CancelAsync();
            await trickle;

            Assert.True(firstRun.ExitCode == 0, firstRun.Describe());
            var early = await cli.ListMailAsync();
            Assert.True(early.Count == 0, $"a file still being written must not be read as a mail: {Dump(early)}");
            Assert.True(File.Exists(path), "the half-written file stays in the drop folder for a later pass");

            writer.Seek(half, SeekOrigin.Begin);
            await writer.WriteAsync(whole.AsMemory(half));
        }

        await cli.RunOnceAsync();

        var mail = Assert.Single(await cli.ListMailAsync());
        Assert.True(mail.Kind == "reply" && mail.NoticeRef == reference, $"the whole file is filed: {Dump(mail)}");
        var raw = Path.Combine(Workspace.Input, "raw.eml");
        await cli.RunOkAsync("mail", "show", mail.MailId, "--raw", "-o", raw);
        Assert.Equal(whole, await File.ReadAllBytesAsync(raw));
        var filed = Assert.Single((await cli.ShowNoticeAsync(reference)).Replies);
        Assert.Equal(reply.Attachments.Count, filed.Evidence.Count);
    }

    [Fact]
    public async Task HiddenOrTemporaryName_IsNotReadUntilRenamedToEml()
    {
        var cli = DropFolderCli();
        Directory.CreateDirectory(DropFolder);
        var whole = Crlf.Serialize(TestMessages.OutOfOffice());
        await File.WriteAllBytesAsync(Path.Combine(DropFolder, ".auto.eml"), whole);
        await File.WriteAllBytesAsync(Path.Combine(DropFolder, "auto.eml.tmp"), whole);

        await cli.RunOnceAsync();
        Assert.Empty(await cli.ListMailAsync());

        File.Move(Path.Combine(DropFolder, "auto.eml.tmp"), Path.Combine(DropFolder, "auto.eml"));
        await cli.RunOnceAsync();

        var mail = Assert.Single(await cli.ListMailAsync());
        Assert.Equal("auto-reply", mail.Kind);
        Assert.True(File.Exists(Path.Combine(DropFolder, ".auto.eml")), "a hidden file is never taken");
    }

    [Fact]
    public async Task LinkOrFifoNamedEml_IsNeverReadAndSetAsideWhileRealMailIsFiled()
    {
        var cli = DropFolderCli();
        Directory.CreateDirectory(DropFolder);
        // A file outside the drop folder that the service user can read (a secret, another user's mail): a link to it
        // dropped as "*.eml" must never make it a received mail, nor a FIFO hang the pass.
        var secret = Path.Combine(Workspace.Root, "secret.txt");
        await File.WriteAllBytesAsync(secret, Crlf.Serialize(TestMessages.OutOfOffice()));
        File.CreateSymbolicLink(Path.Combine(DropFolder, "link.eml"), secret);
        await MakeFifoAsync(Path.Combine(DropFolder, "fifo.eml"));
        var whole = Crlf.Serialize(TestMessages.OutOfOffice());
        await File.WriteAllBytesAsync(Path.Combine(DropFolder, "real.eml"), whole);

        var run = await cli.RunAsync("run", "--once");

        Assert.True(run.ExitCode == 0, run.Describe());
        var mail = Assert.Single(await cli.ListMailAsync());
        var raw = Path.Combine(Workspace.Input, "raw.eml");
        await cli.RunOkAsync("mail", "show", mail.MailId, "--raw", "-o", raw);
        Assert.Equal(whole, await File.ReadAllBytesAsync(raw));
        var refused = Path.Combine(DropFolder, "refused");
        Assert.True(new FileInfo(Path.Combine(refused, "link.eml")).LinkTarget == secret, "the link itself is set aside, unread");
        Assert.True(File.Exists(Path.Combine(refused, "fifo.eml")), "the FIFO is set aside, unread");
        Assert.False(File.Exists(Path.Combine(DropFolder, "link.eml")) || File.Exists(Path.Combine(DropFolder, "fifo.eml")));
        Assert.Contains("not a regular file", run.Stdout + run.Stderr, StringComparison.Ordinal);

        // Set aside once: the next pass has nothing to say about them and records nothing more.
        await cli.RunOnceAsync();
        Assert.Single(await cli.ListMailAsync());
    }

    private static async Task MakeFifoAsync(string path)
    {
        using var mkfifo = System.Diagnostics.Process.Start("mkfifo", [path]);
        await mkfifo.WaitForExitAsync();
        Assert.Equal(0, mkfifo.ExitCode);
    }

    private string DropFolder => Path.Combine(Workspace.Root, "drop");

    private MailIntakeCli DropFolderCli(string quietPeriod = "00:00:01")
    {
        var cli = MailIntakeCli.ForDropFolder(Workspace, Output);
        cli.Environment["MailIntake__Mailbox__DropQuietPeriod"] = quietPeriod;
        return cli;
    }
}
