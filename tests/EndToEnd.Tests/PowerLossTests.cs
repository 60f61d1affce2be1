using System.Text.Json.Nodes;
using Dapper;
using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.EndToEnd.Tests.TestData;
using Microsoft.Data.Sqlite;
using MimeKit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace MailIntake.EndToEnd.Tests;

/// <summary>
/// The DataDirectory on a disk whose power is cut while replies come in through the real Dovecot (<see cref="LoopDisk"/>):
/// the worker dies and the disk keeps only what had reached it. README's durability model must hold: no committed row is
/// taken back, every recorded mail keeps its raw file whole, every queued message its file; evidence may be lost and
/// <c>store repair</c> rebuilds it; every mail then ends recorded once and processed. <c>MAILINTAKE_POWER_SEED</c> replays.
/// </summary>
public sealed class PowerLossTests(ITestOutputHelper output) : EndToEndTest(output)
{
    private const int Mails = 90;
    private const int Cuts = 3;

    /// <summary>What the model allows a power loss to leave: derived files to rebuild, files no row names yet.</summary>
    private static readonly string[] Repairable =
        ["evidence-missing", "evidence-damaged", "evidence-orphaned", "raw-orphaned", "outbound-orphaned", "leftover"];

    private string Disk => Path.Combine(Workspace.Root, "disk");

    private string Data => Path.Combine(Disk, "data");

    protected override void ConfigureProgram(MailIntakeCli cli)
    {
        cli.Environment["MailIntake__DataDirectory"] = Path.Combine(Workspace.Root, "disk", "data");
        cli.Environment["MailIntake__Receipts__MaxPerSenderPerHour"] = "1000";
        cli.Environment["MailIntake__Mailbox__PollInterval"] = "00:00:01";
        cli.Environment["MailIntake__Mailbox__UseIdle"] = "false";
    }

    [LoopDiskFact]
    public async Task IntakeWhosePowerIsCutThreeTimes_KeepsEveryCommitAndRawMailAndEndsWithEveryMailOnceWithAllEvidence()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("MAILINTAKE_POWER_SEED"), out var given) ? given : Random.Shared.Next();
        Output.WriteLine($"seed {seed} (MAILINTAKE_POWER_SEED={seed} replays it)");
        var random = new Random(seed);
        using var disk = LoopDisk.Mount(Path.Combine(Workspace.Root, "images"), Disk);

        await Cli.ImportOrgsAsync(Orgs.Csv);
        var notices = new[] { await Cli.IssueNoticeAsync(Orgs.TestGuild), await Cli.IssueNoticeAsync(Orgs.SecondOrg) };
        for (var index = 0; index < Mails; index++)
            await Mailbox.AppendAsync(Message(index, notices, random));

        for (var cut = 1; cut <= Cuts; cut++)
        {
            // Cut while the worker works: once it has recorded a few more mails (a bound on work, not on time).
            var target = Math.Min(Mails, ProgramDatabase.Mails(Data).Count + random.Next(8, 20));
            await using (var worker = WorkerProcess.Start(Cli, Output, $"run before cut {cut}"))
            {
                await WaitForWorkAsync(() => ProgramDatabase.Mails(Data).Count >= target || worker.HasExited,
                    () => $"{worker.Name} did not record {target} mails:\n{worker.Tail()}");
                if (worker.HasExited)
                    throw new XunitException($"{worker.Name} exited on its own ({worker.ExitCode}):\n{worker.Tail()}");
                worker.Kill();
            }

            var committed = Committed();
            disk.CutPower();
            var survived = Committed();
            Assert.True(committed == survived, $"cut {cut}: no commit may be taken back by a power loss\nbefore: {committed}\nafter:  {survived}");

            var verify = await Cli.RunQuietAsync("store", "verify", "--json");
            var problems = JsonNode.Parse(verify.Stdout)!["problems"]!.AsArray()
                .Select(problem => (Kind: (string)problem!["kind"]!, Path: (string?)problem["path"])).ToList();
            var lost = problems.Where(problem => !Repairable.Contains(problem.Kind)).ToList();
            Output.WriteLine($"cut {cut}: {survived.Mails} mails recorded, {survived.Queued} messages queued; verify: " +
                             string.Join(", ", problems.GroupBy(problem => problem.Kind).Select(group => $"{group.Count()} {group.Key}").DefaultIfEmpty("clean")));
            Assert.True(lost.Count == 0, $"cut {cut}: only what derives from raw mail may be lost: {string.Join("; ", lost)}");
            AssertQueuedMessagesWhole(cut);

            var repair = await Cli.RunAsync("store", "repair");
            Assert.True(repair.ExitCode == 0, $"cut {cut}: what a power loss leaves is repaired: {repair.Describe()}");
        }

        for (var pass = 0; pass < 4 && (ProgramDatabase.Mails(Data).Count < Mails || ProgramDatabase.Mails(Data).Any(mail => mail.Kind == "received")); pass++)
            await Cli.RunAsync(TimeSpan.FromMinutes(5), "run", "--once");

        var mails = await Cli.ListMailAsync();
        Assert.True(mails.Count == Mails, $"{Mails} mails went in, mail list has {mails.Count}");
        Assert.Equal(Mails, mails.Select(mail => BareMessageId(mail.MessageId)).Distinct().Count());
        Assert.True(mails.All(mail => mail.Kind == "reply"), $"every mail is filed as a reply: {Dump(mails.Where(mail => mail.Kind != "reply"))}");
        foreach (var reference in notices)
        {
            var notice = await Cli.ShowNoticeAsync(reference);
            var shortOfFiles = notice.Replies.Where(reply => reply.Evidence.Count != 5).ToList();
            Assert.True(shortOfFiles.Count == 0, $"{reference}: every reply keeps all five files: {Dump(shortOfFiles)}");
            Assert.Equal(notice.Replies.Count, notice.Timeline.Count(entry => entry.Event == "reply-filed"));
        }

        var clean = await Cli.RunAsync("store", "verify");
        Assert.True(clean.ExitCode == 0, $"the store verifies clean at the end: {clean.Describe()}");
    }

    /// <summary>Every queued message's file is whole: it parses and carries its row's Message-ID (it is sent as it is).</summary>
    private void AssertQueuedMessagesWhole(int cut)
    {
        using var connection = Open();
        foreach (var (path, messageId) in connection.Query<(string, string)>("SELECT mime_path, message_id FROM outbound WHERE status = 'queued'"))
        {
            var file = Path.Combine(Data, path);
            Assert.True(File.Exists(file), $"cut {cut}: the queued message {path} is missing");
            string found;
            try
            {
                var loaded = MimeMessage.Load(file);
                found = loaded.Body is null ? "no body" : $"Message-ID {loaded.MessageId}";
            }
            catch (FormatException exception)
            {
                found = exception.Message;
            }

            Assert.True(found == $"Message-ID {messageId.Trim('<', '>')}",
                $"cut {cut}: the queued message {path} is not whole ({new FileInfo(file).Length} bytes: {found})");
        }
    }

    /// <summary>What the database holds: each mail's id, hash and kind, each outbox row's status, the evidence rows.</summary>
    private Snapshot Committed()
    {
        using var connection = Open();
        var mails = connection.Query<(long, string, string)>("SELECT id, sha256, kind FROM mails ORDER BY id").ToList();
        var outbound = connection.Query<(long, string)>("SELECT id, status FROM outbound ORDER BY id").ToList();
        return new Snapshot(
            mails.Count,
            outbound.Count(row => row.Item2 == "queued"),
            string.Join(';', mails.Select(mail => $"{mail.Item1}:{mail.Item2[..8]}:{mail.Item3}")),
            string.Join(';', outbound.Select(row => $"{row.Item1}:{row.Item2}")),
            connection.ExecuteScalar<long>("SELECT COUNT(*) FROM evidence"));
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(Data, "mailintake.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        return connection;
    }

    /// <summary>Reply <paramref name="index"/> to one of two notices: the four 附件 of an Outlook reply and 60–200 KB of its own.</summary>
    private static byte[] Message(int index, string[] notices, Random random)
    {
        var own = new byte[random.Next(60_000, 200_000)];
        random.NextBytes(own);
        return TestMessages.NumberedReply(notices[index % 2], index, fromSecondOrg: index % 2 == 1, $"補充資料_{index}.bin", own);
    }


    private sealed record Snapshot(int Mails, int Queued, string MailRows, string OutboundRows, long EvidenceRows);
}
