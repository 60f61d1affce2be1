using System.Text;
using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.EndToEnd.Tests.TestData;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary>
/// Names the drop folder gives (a non-UTF-8 name renamed to its text, the next free name in <c>processed/</c>) always
/// fit a Linux file name (255 bytes): hostile findings h14h G6 and G7, where a name that did not fit stopped every pass.
/// </summary>
public sealed class DropFolderNamesTests(ITestOutputHelper output) : DropFolderTest(output)
{
    private const int NameMax = 255;

    [Fact]
    public async Task NonUtf8NamesTooLongOnceDecoded_AreRenamedToShortenedDistinctNamesAndFiled_WithTheOthers()
    {
        // h14h G6: a Big5 name of 100 characters (200 bytes, a legal name) is 300 bytes in UTF-8: the rename to it failed
        // and stopped ALL drop-folder intake with a false 「…/drop（無法讀寫）」.
        var cli = DropFolderCli();
        await cli.ImportOrgsAsync(Orgs.Csv);
        var reference = await cli.IssueNoticeAsync(Orgs.TestGuild);
        Directory.CreateDirectory(DropFolder);
        var text = string.Concat(Enumerable.Repeat("限期改善回覆", 17))[..100];
        PlaceUnderRawName(Reply(reference, 1), [.. TestMessages.Big5.GetBytes(text), .. ".eml"u8]);
        // The same first 99 characters, another last one: shortened, the two names must still differ.
        PlaceUnderRawName(Reply(reference, 2), [.. TestMessages.Big5.GetBytes(text[..99] + "甲"), .. ".eml"u8]);
        // Bytes that are no encoding, written %XX: three bytes each.
        PlaceUnderRawName(Crlf.Serialize(TestMessages.OutOfOffice()), [.. Enumerable.Repeat((byte)0xFF, 100), .. ".eml"u8]);
        await File.WriteAllBytesAsync(Path.Combine(DropFolder, "r-plain.eml"), Crlf.Serialize(TestMessages.OutOfOffice()));

        var run = await cli.RunAsync("run", "--once");

        Assert.True(run.ExitCode == 0, run.Describe());
        var mails = await cli.ListMailAsync();
        Assert.True(mails.Count == 4, $"every file is a mail: {Dump(mails)}; {run.Describe()}");
        Assert.Equal(2, mails.Count(mail => mail.Kind == "reply" && mail.NoticeRef == reference));
        var processed = Directory.GetFileSystemEntries(Path.Combine(DropFolder, "processed")).Select(path => Path.GetFileName(path)!).ToList();
        Assert.Equal(4, processed.Count);
        Assert.All(processed, name => Assert.True(Encoding.UTF8.GetByteCount(name) <= NameMax && name.EndsWith(".eml", StringComparison.Ordinal), name));
        Assert.Equal(2, processed.Count(name => name.StartsWith(text[..60], StringComparison.Ordinal)));
        Assert.Single(processed, name => name.StartsWith("%FF%FF%FF", StringComparison.Ordinal));
        Assert.DoesNotContain(Directory.GetFileSystemEntries(DropFolder), path => !Path.GetFileName(path).StartsWith('.') && Path.GetFileName(path) != "processed");

        var again = await cli.RunAsync("run", "--once");
        Assert.True(again.ExitCode == 0, again.Describe());
        Assert.Equal(4, (await cli.ListMailAsync()).Count);
    }

    [Fact]
    public async Task RecordedFileWhoseNextFreeNameInProcessedWouldBeTooLong_IsMovedUnderAShortenedName_LaterPassesSucceed()
    {
        // h14h G7: processed/ already holds a file of the same 255-byte name (a scanner's): the "next free name"
        // (NAME.1.eml) was 257 bytes, the move failed, and every later pass failed for ever 「…：路徑太長」 for a mail
        // that was filed and receipted.
        var cli = DropFolderCli();
        await cli.ImportOrgsAsync(Orgs.Csv);
        var reference = await cli.IssueNoticeAsync(Orgs.TestGuild);
        var name = new string('a', 251) + ".eml";
        var processedFolder = Path.Combine(DropFolder, "processed");
        Directory.CreateDirectory(processedFolder);
        await File.WriteAllBytesAsync(Path.Combine(processedFolder, name), Crlf.Serialize(TestMessages.OutOfOffice()));
        await File.WriteAllBytesAsync(Path.Combine(DropFolder, name), Reply(reference, 1));

        var run = await cli.RunAsync("run", "--once");

        Assert.True(run.ExitCode == 0, run.Describe());
        var mail = Assert.Single(await cli.ListMailAsync());
        Assert.True(mail.Kind == "reply" && mail.NoticeRef == reference, Dump(mail));
        Assert.False(File.Exists(Path.Combine(DropFolder, name)), "the recorded file is moved out of the drop folder");
        var processed = Directory.GetFiles(processedFolder).Select(path => Path.GetFileName(path)!).ToList();
        Assert.Equal(2, processed.Count);
        Assert.All(processed, moved => Assert.True(Encoding.UTF8.GetByteCount(moved) <= NameMax && moved.EndsWith(".eml", StringComparison.Ordinal), moved));

        var again = await cli.RunAsync("run", "--once");
        Assert.True(again.ExitCode == 0, again.Describe());
        var status = await cli.RunAsync("status");
        Assert.DoesNotContain("收件失敗", status.Stdout, StringComparison.Ordinal);
        Assert.Single(await cli.ListMailAsync());
    }

    [Fact]
    public async Task RestoreOfOlderBackup_ProcessedFileWithBig5NameTooLongOnceDecoded_IsRenamedAndReadAgain_AndNewMailIsRead()
    {
        // h14h G7 variant: the same 200-byte Big5 name in processed/ after a restore stopped every pass
        // 「…/drop/processed（無法讀寫）」: neither the mails to read again nor the new mail in the drop folder were taken.
        var (cli, reference, backup) = await OlderBackupAsync(before: 1, total: 3);
        var processed = Path.Combine(DropFolder, "processed");
        var text = string.Concat(Enumerable.Repeat("限期改善回覆", 17))[..100];
        RenameToRawName(Path.Combine(processed, "reply-1.eml"), processed, [.. TestMessages.Big5.GetBytes(text), .. ".eml"u8]);

        using var copy = new TestWorkspace();
        var restored = await RestoreIntoAsync(copy, cli, backup);
        DropReply(reference, 3);

        var run = await restored.RunAsync("run", "--once");

        Assert.True(run.ExitCode == 0, run.Describe());
        var mails = await restored.ListMailAsync();
        Assert.True(mails.Count == 4 && mails.Select(mail => mail.MessageId).Distinct().Count() == 4, $"every mail once: {Dump(mails)}");
        Assert.Single(Directory.GetFiles(processed), path => Path.GetFileName(path).StartsWith(text[..60], StringComparison.Ordinal)
            && Encoding.UTF8.GetByteCount(Path.GetFileName(path)) <= NameMax);
    }

    [Fact]
    public async Task NonUtf8NameStillBeingWrittenByAWriterThatReopensIt_IsNotRenamedUntilQuiet_ThenFiledWhole()
    {
        // h15h K2: a Big5 name was renamed at once, before its quiet period; a writer that re-opens the name for each
        // chunk (a script's >>, an FTP resume) then made a second file under the old name: one reply split in two, the
        // tail recorded 「郵件格式損壞」, the head held as cut short, nothing filed, no receipt.
        // A quiet period far above the writer's pauses (a second), even on a loaded machine.
        var cli = DropFolderCli("00:00:20");
        await cli.ImportOrgsAsync(Orgs.Csv);
        var reference = await cli.IssueNoticeAsync(Orgs.TestGuild);
        Directory.CreateDirectory(DropFolder);
        var whole = Reply(reference, 1);
        var name = TestMessages.Big5.GetBytes("回覆.eml");
        var chunk = whole.Length / 8 + 1;
        AppendUnderRawName(whole[..chunk], name);

        // The pass starts while the writer goes on: it opens the name again for each chunk.
        var pass = cli.RunAsync("run", "--once");
        for (var start = chunk; start < whole.Length; start += chunk)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            AppendUnderRawName(whole[start..Math.Min(start + chunk, whole.Length)], name);
        }

        var run = await pass;

        Assert.True(run.ExitCode == 0, run.Describe());
        var mail = Assert.Single(await cli.ListMailAsync());
        Assert.True(mail.Kind == "reply" && mail.NoticeRef == reference, $"the whole reply is filed: {Dump(mail)}");
        var raw = Path.Combine(Workspace.Input, "raw.eml");
        await cli.RunOkAsync("mail", "show", mail.MailId, "--raw", "-o", raw);
        Assert.Equal(whole, await File.ReadAllBytesAsync(raw));
        Assert.Equal(["回覆.eml"], Directory.GetFiles(Path.Combine(DropFolder, "processed")).Select(Path.GetFileName));
        Assert.Empty(RawNamesIn(DropFolder));
        Assert.Single(run.Stdout.Split('\n').Concat(run.Stderr.Split('\n')), line => line.Contains("renamed to", StringComparison.Ordinal));
    }

    /// <summary>
    /// Hostile finding h17h P2: a non-UTF-8 name was renamed once quiet for the quiet period although its MIME still
    /// stopped short, or a process still had it open for writing — what the pass then left for its writer under the new
    /// name; a writer that paused and opened the name again made a second file. It is renamed only once it would be read.
    /// </summary>
    [Fact]
    public async Task NonUtf8NameCutShortOrHeldOpenForWriting_KeepsItsNameForItsWriter_ThenFiledWhole()
    {
        var cli = DropFolderCli("00:00:00");
        await cli.ImportOrgsAsync(Orgs.Csv);
        var reference = await cli.IssueNoticeAsync(Orgs.TestGuild);
        Directory.CreateDirectory(DropFolder);
        var cut = Reply(reference, 1);
        var cutName = TestMessages.Big5.GetBytes("限期改善.eml");
        var half = cut.Length / 2;
        AppendUnderRawName(cut[..half], cutName);
        var held = Reply(reference, 2);
        var heldName = TestMessages.Big5.GetBytes("回覆二.eml");
        AppendUnderRawName(held, heldName);

        CliResult early;
        using (var writer = OpenUnderRawName(heldName))
        {
            early = await cli.RunAsync("run", "--once");
        }

        Assert.True(early.ExitCode == 0, early.Describe());
        Assert.True((await cli.ListMailAsync()).Count == 0, $"nothing is read while its writer is not done: {early.Describe()}");
        Assert.Equal(2, RawNamesIn(DropFolder).Count(name => name.SequenceEqual(cutName) || name.SequenceEqual(heldName)));

        AppendUnderRawName(cut[half..], cutName); // the writer opens the name again and goes on
        var run = await cli.RunAsync("run", "--once");

        Assert.True(run.ExitCode == 0, run.Describe());
        var mails = await cli.ListMailAsync();
        Assert.True(mails.Count == 2 && mails.All(mail => mail.Kind == "reply" && mail.NoticeRef == reference), $"both replies are filed whole: {Dump(mails)}");
        Assert.Empty(RawNamesIn(DropFolder));
    }

    /// <summary>Opens the file of name <paramref name="name"/> (bytes) in the drop folder for writing and keeps it open, as a stalled writer.</summary>
    private Microsoft.Win32.SafeHandles.SafeFileHandle OpenUnderRawName(byte[] name)
    {
        var path = Encoding.UTF8.GetBytes(DropFolder + "/").Concat(name).Append((byte)0).ToArray();
        // O_CLOEXEC: a program another test starts meanwhile must not inherit the descriptor and hold the file open for
        // writing after this writer closed it (seen in CI: the file stayed "open for writing" through the next pass).
        var fd = Open(path, 0x1 | 0x400 | CloseOnExec, 0); // O_WRONLY | O_APPEND
        Assert.True(fd >= 0, $"open failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
        return new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>Opens the file of name <paramref name="name"/> (bytes) in the drop folder by name and appends, as a writer that re-opens it.</summary>
    private void AppendUnderRawName(byte[] content, byte[] name)
    {
        var path = Encoding.UTF8.GetBytes(DropFolder + "/").Concat(name).Append((byte)0).ToArray();
        var fd = Open(path, 0x1 | 0x40 | 0x400 | CloseOnExec, Convert.ToUInt32("600", 8)); // O_WRONLY | O_CREAT | O_APPEND
        Assert.True(fd >= 0, $"open failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
        using var file = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true), FileAccess.Write);
        file.Write(content);
    }

    /// <summary>The names in <paramref name="folder"/> that are neither hidden nor a folder, as bytes.</summary>
    private static List<byte[]> RawNamesIn(string folder) =>
        [.. MailIntake.Storage.UnixFiles.RawNames(folder).Where(name => name[0] != (byte)'.' && !Directory.Exists(Path.Combine(folder, Encoding.UTF8.GetString(name))))];

    /// <summary>Moves <paramref name="content"/> into the drop folder under a name that is bytes, not text (.NET names are UTF-8).</summary>
    private void PlaceUnderRawName(byte[] content, byte[] name)
    {
        var temp = Path.Combine(DropFolder, $".{Guid.NewGuid():N}.tmp");
        File.WriteAllBytes(temp, content);
        RenameToRawName(temp, DropFolder, name);
    }

    /// <summary>Renames <paramref name="path"/> into <paramref name="folder"/> under a name that is bytes, not text.</summary>
    private static void RenameToRawName(string path, string folder, byte[] name)
    {
        var from = Encoding.UTF8.GetBytes(path + "\0");
        var to = Encoding.UTF8.GetBytes(folder + "/").Concat(name).Append((byte)0).ToArray();
        Assert.True(Rename(from, to) == 0, $"rename failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
    }

    /// <summary>O_CLOEXEC on Linux (x86-64 and arm64).</summary>
    private const int CloseOnExec = 0x80000;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open(byte[] path, int flags, uint mode);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "rename", SetLastError = true)]
    private static extern int Rename(byte[] from, byte[] to);
}
