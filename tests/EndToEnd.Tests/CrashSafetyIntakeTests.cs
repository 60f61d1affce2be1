using System.Diagnostics;
using System.Security.Cryptography;
using MailIntake.EndToEnd.Tests.Harness;
using MimeKit;
using MimeKit.Utils;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace MailIntake.EndToEnd.Tests;

/// <summary>
/// The intake under SIGKILL: a backlog on the real Dovecot, the continuous worker killed at random moments and started
/// again each time. Whatever the moment — between writing the raw file and recording it, between recording and
/// processing, inside a transaction — every message must end up recorded once and processed.
/// </summary>
public sealed class CrashSafetyIntakeTests(ITestOutputHelper output) : EndToEndTest(output)
{
    private const int Backlog = 300;
    private const int MinKills = 5;
    private const int MaxKills = 8;

    protected override void ConfigureProgram(MailIntakeCli cli)
    {
        cli.Environment["MailIntake__Mailbox__PollInterval"] = "00:00:01";
        cli.Environment["MailIntake__Mailbox__UseIdle"] = "false";
    }

    [Fact]
    public async Task BacklogKilledAtRandomMoments_EveryMessageRecordedOnceAndProcessed()
    {
        // MAILINTAKE_CRASH_SEED replays a failing run's kill moments.
        var seed = Environment.GetEnvironmentVariable("MAILINTAKE_CRASH_SEED") is { Length: > 0 } fixedSeed
            ? int.Parse(fixedSeed, System.Globalization.CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        Output.WriteLine($"seed {seed} (MAILINTAKE_CRASH_SEED={seed} replays it)");
        var random = new Random(seed);
        var clock = Stopwatch.StartNew();

        var appended = new List<AppendedMail>(Backlog);
        for (var i = 0; i < Backlog; i++)
        {
            var raw = Crlf.Serialize(BacklogMessage(i, random));
            await Mailbox.AppendAsync(raw);
            appended.Add(new AppendedMail(i, MessageIdOf(raw), Convert.ToHexStringLower(SHA256.HashData(raw))));
        }
        Output.WriteLine($"{Backlog} messages appended in {clock.Elapsed.TotalSeconds:0.0} s " +
                         $"({appended.Count(m => m.MessageId is null)} without Message-ID, {Enumerable.Range(0, Backlog).Count(HasAttachment)} with attachments)");

        // Kill at random moments spread over the backlog: for kill k, a random point in the k-th eighth of its first
        // 70 %, then a random 0–40 ms more (mid-message), so kills land early, middle and late whatever the speed.
        var kills = new List<KillRecord>();
        var intakeClock = Stopwatch.StartNew();
        for (var run = 1; kills.Count < MaxKills; run++)
        {
            // Aimed within the first 70 % of the backlog: a kill aimed at its very end can find the fast batched intake
            // already through, and then the run ends with too few kills to prove anything.
            var span = Backlog * 7 / 10;
            var target = random.Next(kills.Count * span / MaxKills, (kills.Count + 1) * span / MaxKills);
            var extra = random.Next(0, 40);
            await using var worker = WorkerProcess.Start(Cli, Output, $"run #{run}");
            await worker.WaitForLineAsync(line => line.Contains("IMAP connected", StringComparison.Ordinal), WorkerProcess.ConnectTimeout, "IMAP connection");
            var sinceConnect = Stopwatch.StartNew();
            await WaitUntilAsync(() => ProgramDatabase.Mails(Workspace.DataDirectory).Count >= target || worker.HasExited,
                TimeSpan.FromSeconds(60), () => $"{worker.Name} did not reach {target} recorded mails\n{worker.Tail()}", poll: TimeSpan.FromMilliseconds(5));
            await Task.Delay(extra);
            if (worker.HasExited)
                throw new XunitException($"{worker.Name} exited on its own ({worker.ExitCode}):\n{worker.Tail()}");

            var before = ProgramDatabase.Mails(Workspace.DataDirectory).Count;
            worker.Kill();
            var moment = sinceConnect.ElapsedMilliseconds;
            var mails = ProgramDatabase.Mails(Workspace.DataDirectory);
            var unprocessed = mails.Count(m => m.Kind == "received");
            var rawOnly = ProgramDatabase.RawFiles(Workspace.DataDirectory).Except(mails.Select(m => m.Sha256)).Count();
            if (before >= Backlog && unprocessed == 0)
            {
                Output.WriteLine($"{worker.Name}: intake already complete when killed; not counted as a kill");
                break;
            }

            kills.Add(new KillRecord(run, moment, mails.Count, unprocessed, rawOnly));
            Output.WriteLine($"kill {kills.Count} ({worker.Name}, SIGKILL {moment} ms after connecting, aimed past mail {target} + {extra} ms): " +
                             $"{mails.Count}/{Backlog} recorded, {unprocessed} recorded but unprocessed, {rawOnly} raw file(s) written but not recorded");
        }

        Assert.True(kills.Count >= MinKills,
            $"the intake must be killed at least {MinKills} times while it works, was killed {kills.Count} times (seed {seed})");
        Assert.True(kills.Count(k => k.Recorded < Backlog) >= MinKills,
            $"at least {MinKills} kills must fall before the backlog is recorded: {string.Join("; ", kills)}");

        // The last run is left alone: it must finish the backlog, then stop cleanly on SIGTERM.
        await using (var last = WorkerProcess.Start(Cli, Output, "final run"))
        {
            // Connected means started: SIGTERM before the host has started is the runtime's default (exit 143).
            await last.WaitForLineAsync(line => line.Contains("IMAP connected", StringComparison.Ordinal), WorkerProcess.ConnectTimeout, "IMAP connection");
            await WaitUntilAsync(() =>
            {
                var mails = ProgramDatabase.Mails(Workspace.DataDirectory);
                return mails.Count >= Backlog && mails.All(m => m.Kind != "received");
            }, TimeSpan.FromSeconds(90), () => $"the backlog is not through: {ProgramDatabase.Mails(Workspace.DataDirectory).Count}/{Backlog} recorded\n{last.Tail()}");
            var exit = await last.StopAsync(TimeSpan.FromSeconds(30));
            Assert.True(exit == 0, $"the last run must stop cleanly on SIGTERM, exited {exit}:\n{last.Tail()}");
        }
        var intakeSeconds = intakeClock.Elapsed.TotalSeconds;

        // One more pass finds nothing new: the checkpoint and the duplicate checks agree.
        var again = await Cli.RunAsync("run", "--once");
        Assert.True(again.ExitCode == 0 && again.Stdout.Contains("新收 0 封", StringComparison.Ordinal),
            $"a pass after the backlog must record nothing new: {again.Describe()}");

        var listed = await Cli.RunQuietAsync("mail", "list", "--json");
        Assert.True(listed.ExitCode == 0, listed.Describe());
        var list = System.Text.Json.JsonSerializer.Deserialize<List<MailJson>>(listed.Stdout, ContractJson.Options)!;
        var recorded = ProgramDatabase.Mails(Workspace.DataDirectory);

        var lost = appended.Where(m => !recorded.Any(r => r.Sha256 == m.Sha256)).ToList();
        var doubledById = list.Where(m => m.MessageId is not null).GroupBy(m => BareMessageId(m.MessageId)).Where(g => g.Count() > 1).ToList();
        var doubledByHash = recorded.GroupBy(m => m.Sha256).Where(g => g.Count() > 1).ToList();
        var unprocessedAtEnd = list.Where(m => m.Kind == "received").ToList();
        var strangers = recorded.Where(r => appended.All(m => m.Sha256 != r.Sha256)).ToList();
        Output.WriteLine($"{Backlog} messages, {kills.Count} kills, {lost.Count} lost, {doubledById.Count + doubledByHash.Count} doubled, " +
                         $"{unprocessedAtEnd.Count} unprocessed; {kills.Sum(k => k.Unprocessed)} recorded-but-unprocessed and " +
                         $"{kills.Sum(k => k.RawOnly)} written-but-unrecorded mail(s) left by the kills, all resumed; intake {intakeSeconds:0.0} s");

        Assert.True(lost.Count == 0, $"{lost.Count} appended message(s) never recorded (seed {seed}): {string.Join(", ", lost.Select(m => $"#{m.Index} {m.MessageId}"))}");
        Assert.True(doubledById.Count == 0, $"Message-IDs recorded more than once (seed {seed}): {string.Join(", ", doubledById.Select(g => $"{g.Key} ×{g.Count()}"))}");
        Assert.True(doubledByHash.Count == 0, $"raw messages recorded more than once (seed {seed}): {string.Join(", ", doubledByHash.Select(g => $"{g.Key} ×{g.Count()}"))}");
        Assert.True(strangers.Count == 0, $"recorded mail that was never appended: {string.Join(", ", strangers)}");
        Assert.True(list.Count == Backlog, $"mail list must show exactly {Backlog} mails, shows {list.Count}");
        Assert.Equal(Backlog, list.Select(m => m.MessageId is null ? $"hash:{recorded.Single(r => r.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) == m.MailId).Sha256}" : BareMessageId(m.MessageId)).Distinct().Count());
        Assert.True(unprocessedAtEnd.Count == 0, $"mails recorded but never processed: {Dump(unprocessedAtEnd)}");
    }

    // Most messages carry an attachment of real size: the batched, overlapped intake gets through small mail faster
    // than the test can aim a kill, so the backlog must give it real work (raw + evidence written and synced).
    private static bool HasAttachment(int index) => index % 4 != 0;

    private static bool WithoutMessageId(int index) => index % 60 == 7;

    /// <summary>Message <paramref name="index"/> of the backlog: plain text, three in four with a 60–160 KB attachment, 5 with no Message-ID.</summary>
    private static MimeMessage BacklogMessage(int index, Random random)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress($"寄件者 {index % 10}", $"sender{index % 10}@example.org"));
        message.To.Add(new MailboxAddress("臺南市政府智慧發展中心", MailStack.Settings.CenterUser));
        message.Subject = $"積壓郵件 #{index:D3}";
        message.Date = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.FromHours(8)).AddMinutes(index);
        message.MessageId = MimeUtils.GenerateMessageId("example.org");
        if (WithoutMessageId(index))
            message.Headers.Remove(HeaderId.MessageId);

        var text = new TextPart("plain") { Text = $"第 {index} 封積壓郵件。\n這封信沒有要對應的限期改善單。\n" };
        if (!HasAttachment(index))
        {
            message.Body = text;
            return message;
        }

        var bytes = new byte[random.Next(60_000, 160_000)];
        random.NextBytes(bytes);
        var attachment = new MimePart("application", "octet-stream")
        {
            Content = new MimeContent(new MemoryStream(bytes)),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
            ContentTransferEncoding = ContentEncoding.Base64,
            FileName = $"附件{index % 4 + 1}_掃描結果_{index:D3}.bin",
        };
        message.Body = new Multipart("mixed") { text, attachment };
        return message;
    }

    private static string? MessageIdOf(byte[] raw)
    {
        using var stream = new MemoryStream(raw);
        return MimeMessage.Load(stream).MessageId;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> failure, TimeSpan? poll = null)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
                throw new XunitException($"after {timeout.TotalSeconds:0} s: {failure()}");
            await Task.Delay(poll ?? TimeSpan.FromMilliseconds(200));
        }
    }

    private sealed record AppendedMail(int Index, string? MessageId, string Sha256);

    private sealed record KillRecord(int Run, long AfterConnectMs, int Recorded, int Unprocessed, int RawOnly);
}
