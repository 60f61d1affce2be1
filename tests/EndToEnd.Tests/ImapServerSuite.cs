using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MailIntake.EndToEnd.Tests.Harness;
using MimeKit;
using MimeKit.Utils;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace MailIntake.EndToEnd.Tests;

/// <summary>
/// The same intake scenarios on every real IMAP server we test against (one concrete class per server below, each with
/// its server as class fixture; a class's tests run one after another, so a drop or restart disturbs no other test):
/// real corpus mail, a UIDVALIDITY change, IDLE arrival, connections dropped by the server, TLS with CaCertificate, and
/// what the server does to raw 8-bit headers.
/// </summary>
public abstract class ImapServerSuite(ITestOutputHelper output, ImapServer server) : EndToEndTest(output)
{
    /// <summary>The issue's bound: a mail appended a second after a drop is recorded within this, with PollInterval at 2 minutes.</summary>
    private static readonly TimeSpan AfterDropBound = TimeSpan.FromSeconds(10);

    /// <summary>Longer than Dovecot's 30 s IDLE check where it has no inotify; far shorter than the 2-minute poll interval.</summary>
    private static readonly TimeSpan IdleBound = TimeSpan.FromSeconds(45);

    protected override MailStackSettings Stack => server.Stack;

    protected override string CenterUser => server.CenterUser;

    [Fact]
    public async Task ConnectionDroppedThreeTimes_MailAppendedASecondLater_RecordedWithinTenSecondsNothingLostOrDoubled()
    {
        Cli.Environment["MailIntake__Mailbox__UseIdle"] = "true";
        Cli.Environment["MailIntake__Mailbox__PollInterval"] = "00:02:00";
        await using var worker = WorkerProcess.Start(Cli, Output, "worker");
        await worker.WaitForLineAsync(line => line.Contains("IMAP connected", StringComparison.Ordinal), WorkerProcess.ConnectTimeout, "IMAP connection");
        var appended = new List<string> { await AppendAsync("before the drops") };
        await WaitForRecordedAsync(appended[0], worker, IdleBound, "the mail appended before the drops");

        var latencies = new List<double>();
        for (var drop = 1; drop <= 3; drop++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500)); // let the worker settle into IDLE after its last pass
            await server.DropConnectionsAsync(Output);
            await Mailbox.ReconnectAsync();
            await Task.Delay(TimeSpan.FromSeconds(1));
            var id = await AppendAsync($"a second after drop {drop}");
            appended.Add(id);
            var latency = await WaitForRecordedAsync(id, worker, AfterDropBound, $"the mail appended a second after {server.DropName} {drop}");
            latencies.Add(latency.TotalSeconds);
        }

        var status = await ProgramStatus.ReadAsync(Cli);
        var drops = status["intake"]?["drops"];
        Output.WriteLine($"{server}: {server.DropName} ×3 with PollInterval 2 min and IDLE: a mail appended 1 s after each was recorded " +
                         $"{string.Join(", ", latencies.Select(s => s.ToString("0.00", CultureInfo.InvariantCulture)))} s later; status drops {drops?.ToJsonString()}");
        Assert.True(drops?["last24Hours"]?.GetValue<int>() >= 3, $"status --json must count the three drops: {status}");
        Assert.False(string.IsNullOrWhiteSpace(drops?["lastAt"]?.GetValue<string>()), $"status --json must show when the last drop was: {status}");
        Assert.False(string.IsNullOrWhiteSpace(drops?["lastError"]?.GetValue<string>()), $"status --json must show what the last drop was: {status}");
        Assert.Equal(0, worker.CountLines(line => line.Contains("Intake pass failed", StringComparison.Ordinal)));

        var exit = await worker.StopAsync(TimeSpan.FromSeconds(30));
        Assert.True(exit == 0, $"the worker must stop cleanly after the drops, exited {exit}");
        AssertEachRecordedOnce(appended, await Cli.ListMailAsync());
    }

    [Fact]
    public async Task MailArrivingWhileIdle_PollIntervalTwoMinutes_RecordedWithoutWaitingForThePoll()
    {
        Cli.Environment["MailIntake__Mailbox__UseIdle"] = "true";
        Cli.Environment["MailIntake__Mailbox__PollInterval"] = "00:02:00";
        await using var worker = WorkerProcess.Start(Cli, Output, "worker");
        await worker.WaitForLineAsync(line => line.Contains("IMAP connected", StringComparison.Ordinal), WorkerProcess.ConnectTimeout, "IMAP connection");

        var latencies = new List<double>();
        var appended = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            var id = await AppendAsync($"IDLE arrival {i}");
            appended.Add(id);
            latencies.Add((await WaitForRecordedAsync(id, worker, IdleBound, $"IDLE arrival {i}")).TotalSeconds);
        }

        Output.WriteLine($"{server}: IDLE arrival → recorded {string.Join(", ", latencies.Select(s => s.ToString("0.000", CultureInfo.InvariantCulture)))} s");
        await worker.StopAsync(TimeSpan.FromSeconds(30));
        AssertEachRecordedOnce(appended, await Cli.ListMailAsync());
    }

    [Fact]
    public async Task RealCorpusMail_EveryMessageTheServerAccepts_IsRecordedOnce()
    {
        var corpus = RepoPaths.CorpusDirectory();
        var files = Directory.EnumerateFiles(corpus, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) is not ("SOURCES.md" or "expectations.json") && !f.EndsWith(".tnef", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToList();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var refused = new List<string>();
        foreach (var file in files)
        {
            // CRLF: Cyrus refuses bare LF at APPEND (so would any server strict about RFC 5322 line endings).
            var raw = Crlf.Normalize(await File.ReadAllBytesAsync(file));
            try
            {
                await Mailbox.AppendAsync(raw);
            }
            catch (IOException e) when (e.Message.Contains("APPEND", StringComparison.Ordinal))
            {
                refused.Add($"{Path.GetRelativePath(corpus, file)}: {e.Message}");
                continue;
            }

            var id = MessageIdOf(raw);
            if (id is not null)
                ids.Add(id);
            keys.Add(RecordKey.Of(raw, id));
        }

        foreach (var line in refused)
            Output.WriteLine($"{server} refused at APPEND: {line}");
        var run = await Cli.RunAsync(TimeSpan.FromSeconds(180), "run", "--once");
        Assert.True(run.ExitCode == 0, $"no corpus message may stop the run: {run.Describe()}");

        var mails = await Cli.ListMailAsync();
        Output.WriteLine($"{server}: {files.Count} corpus messages, {refused.Count} refused at APPEND, {keys.Count} distinct accepted, {mails.Count} recorded");
        Assert.True(files.Count > 100, $"expected the corpus in {corpus}, found {files.Count} files");
        Assert.True(refused.Count <= files.Count / 10, $"{server} refused {refused.Count} of {files.Count} corpus messages:\n{string.Join('\n', refused)}");
        Assert.Equal(keys.Count, mails.Count);
        var listed = mails.Select(m => BareMessageId(m.MessageId)).ToHashSet(StringComparer.Ordinal);
        var missing = ids.Where(id => !listed.Contains(id)).ToList();
        Assert.True(missing.Count == 0, $"Message-IDs appended but not listed: {string.Join(", ", missing)}");
    }

    [Fact]
    public async Task UidValidityChanged_FolderRecreatedWithTheSameMailPlusOne_OnlyTheNewOneIsRecorded()
    {
        var first = new[] { Message("before the resync 1"), Message("before the resync 2") };
        foreach (var message in first)
            await Mailbox.AppendAsync(message);
        await Cli.RunOnceAsync();
        var validityBefore = await Mailbox.UidValidityAsync();

        // The folder is deleted and made again (as a server restore or migration does): same mail, new UIDVALIDITY.
        await Mailbox.RecreateFolderAsync();
        foreach (var message in first)
            await Mailbox.AppendAsync(message);
        var added = Message("after the resync");
        await Mailbox.AppendAsync(added);
        var validityAfter = await Mailbox.UidValidityAsync();
        Assert.NotEqual(validityBefore, validityAfter);

        var run = await Cli.RunAsync("run", "--once");
        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Contains("UIDVALIDITY changed", run.Stderr, StringComparison.Ordinal);
        AssertEachRecordedOnce([.. first.Select(m => m.MessageId), added.MessageId], await Cli.ListMailAsync());
        Output.WriteLine($"{server}: UIDVALIDITY {validityBefore} → {validityAfter}; 3 mails on the server, 3 recorded, none twice");
    }

    [Fact]
    public async Task ImplicitTls_WithTheServersPrivateCa_RecordsMail_AndWithoutItFailsInOneLine()
    {
        var message = Message("over IMAPS");
        await Mailbox.AppendAsync(message);
        Cli.Environment["MailIntake__Mailbox__Port"] = Stack.ImapsPort.ToString(CultureInfo.InvariantCulture);
        Cli.Environment["MailIntake__Mailbox__Security"] = "SslOnConnect";

        Cli.Environment.Remove("MailIntake__Mailbox__CaCertificate");
        var untrusted = await Cli.RunAsync("run", "--once");
        Assert.Equal(1, untrusted.ExitCode);
        Assert.Single(untrusted.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => !line.Contains(" warn: ", StringComparison.Ordinal) && !line.Contains(" info: ", StringComparison.Ordinal));
        Assert.Empty(await Cli.ListMailAsync());

        Cli.Environment["MailIntake__Mailbox__CaCertificate"] = Stack.CaCertificateFile;
        await Cli.RunOnceAsync();
        AssertEachRecordedOnce([message.MessageId], await Cli.ListMailAsync());
    }

    [Fact]
    public async Task RawBig5Headers_WhatTheServerStores_IsWhatIsFiled()
    {
        const string subject = "Re: 限期改善單回覆";
        var big5 = Encoding.GetEncoding(950);
        var raw = Encoding.Latin1.GetBytes(
                "Message-ID: <" + Guid.NewGuid().ToString("N") + "@org1.example.tw>\r\n" +
                "From: org1@intake.test\r\nTo: " + CenterUser + "\r\nSubject: ")
            .Concat(big5.GetBytes(subject))
            .Concat("\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"u8.ToArray())
            .Concat(big5.GetBytes("已完成改善。\r\n"))
            .ToArray();
        var uid = await Mailbox.AppendAsync(raw);
        var stored = await Mailbox.ReadRawAsync(uid);

        await Cli.RunOnceAsync();
        var mail = Assert.Single(await Cli.ListMailAsync());
        // Kept raw is exactly what the server stores, not what was appended.
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(stored)), Assert.Single(ProgramDatabase.Mails(Workspace.DataDirectory)).Sha256);
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(stored)), ProgramDatabase.RawFiles(Workspace.DataDirectory));
        Assert.Equal(server.RewritesEightBitHeaders, !stored.AsSpan().SequenceEqual(raw));
        Output.WriteLine($"{server}: raw Big5 Subject filed as \"{mail.Subject}\"");
        if (server.RewritesEightBitHeaders)
        {
            // munge8bit: every raw 8-bit header byte is stored as 'X'; the body keeps its bytes. The worker files what the
            // server gives it, raw included: the Big5 subject is gone before intake ever sees it.
            // (A Big5 trail byte may be ASCII, e.g. 0x5E '^' in 覆: only bytes above 0x7F become X.)
            var munged = new string(big5.GetBytes(subject).Select(b => b > 0x7F ? 'X' : (char)b).ToArray());
            Assert.Equal(munged, mail.Subject);
            Assert.True(stored.AsSpan().IndexOf(big5.GetBytes("已完成改善。")) >= 0, "the 8-bit body must be stored as sent");
        }
        else
        {
            Assert.Equal(subject, mail.Subject);
        }
    }

    [Fact]
    public async Task MailsOverLargeMailBytes_FetchedInPieces_RawIsWhatTheServerStoresAndEvidenceHashesAreTheSources()
    {
        const int piece = 65_536;
        Cli.Environment["MailIntake__Mailbox__LargeMailBytes"] = piece.ToString(CultureInfo.InvariantCulture);
        var reference = await ImportOrgsAndIssueNoticeAsync();
        var random = new Random(13);
        // One group: a mail under the limit (fetched whole), one cut into pieces with a short last one, and one an exact
        // multiple of the piece size (its last piece comes back empty).
        var sent = new[]
        {
            TestData.TestMessages.OutlookBig5Reply(),
            WithRandomAttachments(TestData.TestMessages.OutlookBig5Reply(), random, 90_000),
            WithRandomAttachments(TestData.TestMessages.OutlookBig5Reply(), random, 150_000, 150_000, 150_000),
        };
        var raws = sent.Select(built => Crlf.Serialize(built.Message)).ToList();
        raws[2] = PaddedToMultipleOf(raws[2], piece);
        Assert.True(raws[0].Length < piece && raws[1].Length > piece && raws[1].Length % piece != 0 && raws[2].Length % piece == 0,
            $"the three sizes must be under, over and a multiple of {piece}: {string.Join(", ", raws.Select(raw => raw.Length))}");
        var stored = new List<byte[]>();
        foreach (var raw in raws)
        {
            stored.Add(await Mailbox.ReadRawAsync(await Mailbox.AppendAsync(raw)));
        }

        var run = await Cli.RunAsync("run", "--once");
        Assert.True(run.ExitCode == 0, run.Describe());
        var inPieces = run.Stderr.Split('\n').Where(line => line.Contains("fetched in", StringComparison.Ordinal)).ToList();
        Assert.True(inPieces.Count == 2 && inPieces.Any(line => line.Contains($"({raws[2].Length} bytes) fetched in {raws[2].Length / piece + 1} pieces", StringComparison.Ordinal)),
            $"{server}: the two mails over {piece} bytes must be fetched in pieces, the exact multiple with an empty last one: {string.Join("\n", inPieces)}");

        var recorded = ProgramDatabase.Mails(Workspace.DataDirectory);
        Assert.Equal(3, recorded.Count);
        foreach (var bytes in stored)
        {
            var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
            var mail = Assert.Single(recorded, mail => mail.Sha256 == sha256);
            var file = Path.Combine(Workspace.DataDirectory, "raw", sha256[..2], sha256 + ".eml");
            Assert.True((await File.ReadAllBytesAsync(file)).AsSpan().SequenceEqual(bytes), $"{server}: mail #{mail.Id}'s raw file must be byte for byte what the server stores ({bytes.Length} bytes)");
        }

        var notice = await Cli.ShowNoticeAsync(reference);
        Assert.Equal(3, notice.Replies.Count);
        foreach (var built in sent)
        {
            var messageId = BareMessageId(built.Message.MessageId);
            var mail = Assert.Single(await Cli.ListMailAsync(), mail => BareMessageId(mail.MessageId) == messageId);
            var reply = Assert.Single(notice.Replies, reply => reply.MailId == mail.MailId);
            Assert.Equal(
                built.Attachments.Select(attachment => (attachment.FileName, attachment.Sha256, (long)attachment.Content.Length)).Order(),
                reply.Evidence.Select(evidence => (evidence.FileName, evidence.Sha256, (long)evidence.Size)).Order());
        }
    }

    [Fact]
    public async Task MailExpungedWhileFetchedInPieces_IsNeverRecordedCutShort()
    {
        // h13x #1: after an expunge by another session the server serves nothing more, and an empty piece looked like
        // the end of the message: the mail was filed cut short and its receipt listed half its files. Pieces of 4 KB make
        // the fetch long (about 2,000 round trips) so that the expunge lands in the middle of it; whenever it lands, the
        // mail must be either not recorded at all (gone) or recorded whole.
        const int piece = 4096;
        Cli.Environment["MailIntake__Mailbox__LargeMailBytes"] = piece.ToString(CultureInfo.InvariantCulture);
        await ImportOrgsAndIssueNoticeAsync();
        var built = WithRandomAttachments(TestData.TestMessages.OutlookBig5Reply(), new Random(17), 3_000_000, 3_000_000);
        var uid = await Mailbox.AppendAsync(Crlf.Serialize(built.Message));
        var stored = await Mailbox.ReadRawAsync(uid);

        var run = Cli.RunAsync("run", "--once");
        var temp = Path.Combine(Workspace.DataDirectory, "raw", "tmp");
        bool Started() => Directory.Exists(temp) && Directory.GetFiles(temp).Any(file => new FileInfo(file).Length > 64 * 1024);
        while (!run.IsCompleted && !Started())
        {
            await Task.Delay(5);
        }

        var expungedMidway = !run.IsCompleted;
        await Mailbox.ExpungeAsync(uid);
        var result = await run;
        Assert.True(result.ExitCode == 0, result.Describe());

        var recorded = ProgramDatabase.Mails(Workspace.DataDirectory);
        var whole = Convert.ToHexStringLower(SHA256.HashData(stored));
        Assert.True(recorded.All(mail => mail.Sha256 == whole),
            $"{server}: a mail recorded from an expunged message must be whole ({stored.Length} bytes, expunged midway: {expungedMidway}); recorded: " +
            string.Join(", ", recorded.Select(mail => mail.Sha256)));
        if (expungedMidway && recorded.Count == 0)
        {
            Assert.Contains("expunged", result.Stderr, StringComparison.Ordinal);
        }
    }

    private static TestData.BuiltMessage WithRandomAttachments(TestData.BuiltMessage built, Random random, params int[] sizes)
    {
        var attachments = built.Attachments.ToList();
        var body = (Multipart)built.Message.Body!;
        foreach (var size in sizes)
        {
            var content = new byte[size];
            random.NextBytes(content);
            var name = $"附件{attachments.Count + 1}_掃描檔.zip";
            attachments.Add(new TestData.ExpectedAttachment(name, content, attachments.Count + 1));
            body.Add(new MimePart("application", "zip")
            {
                FileName = name,
                Content = new MimeContent(new MemoryStream(content)),
                ContentTransferEncoding = ContentEncoding.Base64,
            });
        }

        return built with { Attachments = attachments };
    }

    /// <summary>The raw message with X-Pad header lines in front, making it exactly a multiple of <paramref name="multiple"/> bytes.</summary>
    private static byte[] PaddedToMultipleOf(byte[] raw, int multiple)
    {
        const int lineOverhead = 9; // "X-Pad: " and CRLF
        var missing = (multiple - (raw.Length + lineOverhead + 1) % multiple) % multiple + lineOverhead + 1;
        var padding = new StringBuilder();
        while (missing > 0)
        {
            var length = Math.Min(missing, 800);
            if (missing - length is > 0 and <= lineOverhead)
                length -= lineOverhead + 1;
            padding.Append("X-Pad: ").Append('p', length - lineOverhead).Append("\r\n");
            missing -= length;
        }

        return Encoding.ASCII.GetBytes(padding.ToString()).Concat(raw).ToArray();
    }

    private MimeMessage Message(string label)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("someone@example.org"));
        message.To.Add(MailboxAddress.Parse(CenterUser));
        message.Subject = $"{server}: {label}";
        message.MessageId = MimeUtils.GenerateMessageId("example.org");
        message.Body = new TextPart("plain") { Text = label };
        return message;
    }

    private async Task<string> AppendAsync(string label)
    {
        var message = Message(label);
        await Mailbox.AppendAsync(message);
        return message.MessageId!;
    }

    /// <summary>Polls the program's database until <paramref name="messageId"/> is recorded; returns how long that took.</summary>
    private async Task<TimeSpan> WaitForRecordedAsync(string messageId, WorkerProcess worker, TimeSpan bound, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (ProgramDatabase.Mails(Workspace.DataDirectory).Any(m => BareMessageId(m.MessageId) == messageId))
                return clock.Elapsed;
            if (worker.HasExited || clock.Elapsed > bound)
                throw new XunitException($"{server}: {what} not recorded after {clock.Elapsed.TotalSeconds:0.0} s (worker {(worker.HasExited ? "exited" : "running")}):\n{worker.Tail()}");
            await Task.Delay(50);
        }
    }

    private static void AssertEachRecordedOnce(IReadOnlyCollection<string?> appended, IReadOnlyList<MailJson> mails)
    {
        var recorded = mails.Select(m => BareMessageId(m.MessageId)).ToList();
        var lost = appended.Select(BareMessageId).Except(recorded).ToList();
        var doubled = recorded.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => $"{g.Key} ×{g.Count()}").ToList();
        Assert.True(lost.Count == 0, $"lost: {string.Join(", ", lost)}");
        Assert.True(doubled.Count == 0, $"recorded twice: {string.Join(", ", doubled)}");
        Assert.Equal(appended.Count, mails.Count);
    }

    private static string? MessageIdOf(byte[] raw)
    {
        try
        {
            using var stream = new MemoryStream(raw);
            return BareMessageId(MimeMessage.Load(stream).MessageId);
        }
        catch (FormatException)
        {
            return null; // keyed by its raw SHA-256, as the program keys it
        }
    }
}

/// <summary>The suite on the loopback Dovecot (tools/mailstack/start.sh); drops are <c>doveadm kick</c>.</summary>
public sealed class DovecotServerTests(ITestOutputHelper output, DovecotServer server)
    : ImapServerSuite(output, server), IClassFixture<DovecotServer>;

/// <summary>The suite on the loopback Cyrus IMAP 3.6 (tools/mailstack/cyrus-start.sh); drops are restarts.</summary>
public sealed class CyrusServerTests(ITestOutputHelper output, CyrusServer server)
    : ImapServerSuite(output, server), IClassFixture<CyrusServer>;
