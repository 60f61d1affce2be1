using System.Text;
using Dapper;
using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.EndToEnd.Tests.TestData;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace MailIntake.EndToEnd.Tests;

/// <summary>
/// Ordinary faults, many of them, while 200 mails come in through the real Dovecot: a seeded injector makes the
/// receipt path (the outbox folder), the evidence store (its folders), the database (a trigger that refuses a write)
/// and the raw store (a raw file removed) fail, and kills the worker, round after round; then the faults heal. Every
/// mail must end recorded once, processed, with all its evidence and one receipt, and the store must verify clean
/// after <c>store repair</c>. <c>MAILINTAKE_FAULT_SEED</c> replays a run.
/// </summary>
public sealed class FaultInjectionTests(ITestOutputHelper output) : EndToEndTest(output)
{
    private const int Mails = 200;
    private const int Rounds = 8;
    private const int EveryFifthIsAutoReply = 5;

    protected override void ConfigureProgram(MailIntakeCli cli) =>
        cli.Environment["MailIntake__Receipts__MaxPerSenderPerHour"] = "1000";

    [Fact]
    public async Task Intake_TwoHundredMailsUnderSeededFaults_EveryMailOnceProcessedWithAllEvidenceAndVerifyClean()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("MAILINTAKE_FAULT_SEED"), out var given) ? given : 1105;
        var random = new Random(seed);
        Output.WriteLine($"seed {seed}");
        await Cli.ImportOrgsAsync(Orgs.Csv);
        var notices = new[] { await Cli.IssueNoticeAsync(Orgs.TestGuild), await Cli.IssueNoticeAsync(Orgs.SecondOrg) };
        var messages = Enumerable.Range(0, Mails).Select(index => Message(index, notices)).ToList();
        var faults = new Faults(Workspace.DataDirectory, random);
        var kills = 0;
        var removedRaw = new List<byte[]>();

        for (var round = 0; round < Rounds; round++)
        {
            foreach (var raw in messages.Skip(round * Mails / Rounds).Take(Mails / Rounds))
                await Mailbox.AppendAsync(raw);

            faults.Heal();
            var injected = faults.Inject();
            if (random.NextDouble() < 0.35)
            {
                // A killed worker: SIGKILL once it has recorded a few more mails (a bound on work, not on time).
                var target = ProgramDatabase.Mails(Workspace.DataDirectory).Count + random.Next(3, 15);
                await using var worker = WorkerProcess.Start(Cli, Output, $"round {round}");
                await WaitForWorkAsync(() => ProgramDatabase.Mails(Workspace.DataDirectory).Count >= target || worker.HasExited,
                    () => $"{worker.Name} did not record {target} mails:\n{worker.Tail()}");
                if (worker.HasExited)
                    throw new XunitException($"{worker.Name} exited on its own ({worker.ExitCode}):\n{worker.Tail()}");
                worker.Kill();
                kills++;
                injected.Add("kill");
            }
            else
            {
                var run = await Cli.RunAsync(TimeSpan.FromMinutes(5), "run", "--once");
                Assert.True(run.ExitCode == 0, $"round {round}: faults in processing must not fail the run: {run.Describe()}");
            }

            // A raw file gone under a mail that waits for a retry: that mail is damaged until the same bytes come again.
            var waiting = ProgramDatabase.Mails(Workspace.DataDirectory).Where(mail => mail.Kind is "received" or "failed").ToList();
            if (waiting.Count > 0 && random.NextDouble() < 0.5)
            {
                var victim = waiting[random.Next(waiting.Count)];
                var path = Path.Combine(Workspace.DataDirectory, "raw", victim.Sha256[..2], victim.Sha256 + ".eml");
                removedRaw.Add(await File.ReadAllBytesAsync(path));
                File.Delete(path);
                injected.Add($"raw of mail #{victim.Id} removed");
            }

            Output.WriteLine($"round {round}: {string.Join(", ", injected.DefaultIfEmpty("no fault"))}");
        }

        // The faults heal: the outbox folder and evidence folders come back, the database takes writes again, the
        // removed raw mails are delivered again (the same bytes), and the worker runs until nothing waits.
        faults.Heal();
        foreach (var raw in removedRaw)
            await Mailbox.AppendAsync(raw);
        var healingRuns = 0;
        do
        {
            await Cli.RunAsync(TimeSpan.FromMinutes(5), "run", "--once");
            healingRuns++;
        }
        while (healingRuns < 4 && ProgramDatabase.Mails(Workspace.DataDirectory).Any(mail => mail.Kind is "received" or "failed" or "damaged"));

        var failedAttempts = FailedAttempts();
        var total = failedAttempts + kills + removedRaw.Count;
        Output.WriteLine($"{failedAttempts} processing attempts failed under injected faults ({faults.Summary}), {kills} kills, " +
                         $"{removedRaw.Count} raw files removed: {total} faults; healed in {healingRuns} run(s)");
        Assert.True(total >= 20, $"the injector must have caused at least 20 faults, caused {total}");

        var mails = await Cli.ListMailAsync();
        Assert.True(mails.Count == Mails, $"{Mails} mails went in, mail list has {mails.Count}: {Dump(mails.Where(m => m.Kind is not ("reply" or "auto-reply")))}");
        Assert.Equal(Mails, mails.Select(mail => BareMessageId(mail.MessageId)).Distinct().Count());
        var unfinished = mails.Where(mail => mail.Kind is not ("reply" or "auto-reply")).ToList();
        Assert.True(unfinished.Count == 0, $"every mail is processed once the faults heal: {Dump(unfinished)}");
        Assert.Equal(Mails / EveryFifthIsAutoReply, mails.Count(mail => mail.Kind == "auto-reply"));

        var replies = 0;
        foreach (var reference in notices)
        {
            var notice = await Cli.ShowNoticeAsync(reference);
            var shortOfFiles = notice.Replies.Where(reply => reply.Evidence.Count != 5).ToList();
            Assert.True(shortOfFiles.Count == 0, $"{reference}: every reply keeps all five files: {Dump(shortOfFiles)}");
            var receipts = notice.Outbound.Count(mail => mail.Kind == "receipt");
            Assert.True(receipts == notice.Replies.Count, $"{reference}: one receipt per reply, {receipts} for {notice.Replies.Count}");
            Assert.Equal(notice.Replies.Count, notice.Timeline.Count(entry => entry.Event == "reply-filed"));
            replies += notice.Replies.Count;
        }

        Assert.Equal(Mails - Mails / EveryFifthIsAutoReply, replies);

        var before = await Cli.RunAsync("store", "verify");
        Output.WriteLine($"store verify before repair: exit {before.ExitCode}\n{before.Stdout}");
        var repair = await Cli.RunAsync("store", "repair");
        Assert.True(repair.ExitCode == 0, $"what these faults leave behind can all be repaired: {repair.Describe()}");
        var verify = await Cli.RunAsync("store", "verify", "--json");
        Assert.True(verify.ExitCode == 0, $"the store verifies clean after repair: {verify.Describe()}");
    }

    /// <summary>Mail <paramref name="index"/>: every fifth an out-of-office, the others replies to one of two notices (by reference) with a file of their own.</summary>
    private static byte[] Message(int index, string[] notices)
    {
        if (index % EveryFifthIsAutoReply == EveryFifthIsAutoReply - 1)
            return Crlf.Serialize(TestMessages.OutOfOffice());

        return TestMessages.NumberedReply(notices[index % 2], index, fromSecondOrg: index % 2 == 1, $"補充說明_{index}.txt",
            Encoding.UTF8.GetBytes($"第 {index} 封回覆的補充說明。\r\n"));
    }

    private long FailedAttempts()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(Workspace.DataDirectory, "mailintake.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        return connection.ExecuteScalar<long>("SELECT COALESCE(SUM(attempts), 0) FROM mails");
    }


    /// <summary>The faults the injector can set, each undone by <see cref="Heal"/>.</summary>
    private sealed class Faults(string dataDirectory, Random random)
    {
        private const string RefuseEvidence = "fault_refuse_evidence";
        private const string RefuseAutoReply = "fault_refuse_auto_reply";
        private readonly List<string> _blockedFolders = [];
        private int _outbox, _evidence, _database;

        public string Summary => $"outbox folder gone {_outbox} rounds, evidence folders blocked {_evidence} rounds, database refusing writes {_database} rounds";

        private string Outbound => Path.Combine(dataDirectory, "outbound");

        private string OutboundAway => Outbound + ".away";

        /// <summary>Sets a random choice of faults for the next round; returns what it set.</summary>
        public List<string> Inject()
        {
            var set = new List<string>();
            if (random.NextDouble() < 0.4 && Directory.Exists(Outbound))
            {
                // The receipt path: any I/O error while a receipt is queued (its folder is a file).
                Directory.Move(Outbound, OutboundAway);
                File.WriteAllText(Outbound, "not a folder");
                _outbox++;
                set.Add("outbox folder a file");
            }

            if (random.NextDouble() < 0.5)
            {
                // The evidence store: a fifth of the folders a new attachment could land in are files.
                var evidence = Path.Combine(dataDirectory, "evidence");
                foreach (var prefix in Enumerable.Range(0, 256).Select(n => n.ToString("x2")).Where(_ => random.Next(5) == 0))
                {
                    var folder = Path.Combine(evidence, prefix);
                    if (!Path.Exists(folder))
                    {
                        Directory.CreateDirectory(evidence);
                        File.WriteAllText(folder, "not a folder");
                        _blockedFolders.Add(folder);
                    }
                }

                _evidence++;
                set.Add($"{_blockedFolders.Count} evidence folders files");
            }

            if (random.NextDouble() < 0.5 && File.Exists(Path.Combine(dataDirectory, "mailintake.db")))
            {
                // The database: it refuses a third of the evidence rows and auto-reply verdicts, chosen by mail id.
                var (a, b) = (random.Next(1, 97), random.Next(0, 3));
                Execute($"""
                    CREATE TRIGGER {RefuseEvidence} BEFORE INSERT ON evidence WHEN (NEW.mail_id * {a}) % 3 = {b}
                    BEGIN SELECT RAISE(ABORT, 'injected fault: disk I/O error'); END;
                    CREATE TRIGGER {RefuseAutoReply} BEFORE UPDATE OF kind ON mails WHEN NEW.kind = 'auto-reply' AND (NEW.id * {a}) % 3 = {b}
                    BEGIN SELECT RAISE(ABORT, 'injected fault: disk I/O error'); END;
                    """);
                _database++;
                set.Add($"database refusing mail ids with (id * {a}) % 3 = {b}");
            }

            return set;
        }

        public void Heal()
        {
            if (File.Exists(Outbound) && Directory.Exists(OutboundAway))
            {
                File.Delete(Outbound);
                Directory.Move(OutboundAway, Outbound);
            }

            foreach (var folder in _blockedFolders)
                File.Delete(folder);
            _blockedFolders.Clear();
            if (File.Exists(Path.Combine(dataDirectory, "mailintake.db")))
                Execute($"DROP TRIGGER IF EXISTS {RefuseEvidence}; DROP TRIGGER IF EXISTS {RefuseAutoReply};");
        }

        private void Execute(string sql)
        {
            using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "mailintake.db")};Pooling=False");
            connection.Open();
            connection.Execute("PRAGMA busy_timeout = 30000;");
            connection.Execute(sql);
        }
    }
}
