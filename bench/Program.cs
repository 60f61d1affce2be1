using System.Diagnostics;
using System.Globalization;
using Dapper;
using MailIntake.Bench;
using Microsoft.Data.Sqlite;

// mailintake-bench: every figure of issue 7 in one run against the loopback Dovecot. bench/run.sh builds and starts it.
Settings settings;
try
{
    settings = Settings.Parse(args);
}
catch (Exception exception) when (exception is ArgumentException or FormatException)
{
    Console.Error.WriteLine($"mailintake-bench: {exception.Message}\n{Settings.Help}");
    return 2;
}

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var stack = Stack.Load();
var program = new Mailintake(settings.ProgramDirectory, stack);
if (!File.Exists(program.Dll))
{
    Console.Error.WriteLine($"mailintake-bench: {program.Dll} not found: build it first (dotnet build Worker -c Release)");
    return 1;
}

Directory.CreateDirectory(settings.Work);
var runId = Guid.NewGuid().ToString("N")[..12];
var folders = new List<string>();
var report = new Report();
string F(double value, string format = "0.00") => Sample.F(value, format);
void Say(string line) => Console.WriteLine(line);

// Stopped by Ctrl+C or SIGTERM: still delete the IMAP folders and the scratch directory.
void CleanUp()
{
    if (settings.Keep)
    {
        Say($"kept: {settings.Work}; IMAP folders {string.Join(", ", folders)}");
        return;
    }

    foreach (var folder in folders.ToList())
    {
        try
        {
            stack.DeleteFolderAsync(folder).GetAwaiter().GetResult();
        }
        catch (Exception exception) when (exception is MailKit.FolderNotFoundException or MailKit.Net.Imap.ImapCommandException)
        {
            Console.Error.WriteLine($"could not delete IMAP folder {folder}: {exception.Message}");
        }
    }

    folders.Clear();
    if (Directory.Exists(settings.Work))
        Directory.Delete(settings.Work, recursive: true);
}

using var onInterrupt = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, Stop);
using var onTerminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, Stop);
void Stop(System.Runtime.InteropServices.PosixSignalContext context)
{
    context.Cancel = true;
    Console.Error.WriteLine($"mailintake-bench: {context.Signal}, cleaning up");
    CleanUp();
    Environment.Exit(130);
}

Say($"mailintake-bench {runId}: {settings.Mails} mails × {settings.Attachments} × {settings.AttachmentKb} KB, {settings.Runs} run(s) each; " +
    $"{Environment.ProcessorCount} CPUs; scratch {settings.Work}");
var registry = Registry.Create(settings.Orgs);
var template = Path.Combine(settings.Work, "template");
registry.WriteDatabase(template, DateTimeOffset.UtcNow.AddDays(-30));

try
{
    var throughputParts = new[] { "intake", "peer", "bare", "mbsync", "registry", "mails" }.Where(settings.Measures).ToList();
    if (throughputParts.Count > 0)
    {
        var backlog = new Backlog(registry, settings.Attachments, settings.AttachmentKb * 1024, runId);
        var folder = await stack.CreateFolderAsync($"bench-{runId}");
        folders.Add(folder);
        var (seeded, seedTime) = await Backlog.SeedAsync(stack, folder, settings.Mails, backlog.Serialize);
        var megabytes = seeded / 1048576.0;
        Say($"seeded {settings.Mails} mails ({Backlog.Size(seeded)}) into {folder} in {F(seedTime.TotalSeconds)} s " +
            $"({F(settings.Mails / seedTime.TotalSeconds, "0")} mails/s, MULTIAPPEND ×25 over 2 connections)");

        // Growth: the same backlog against bigger registries (supersets of the backlog's: organisation i is the same in
        // each), and backlogs of other sizes (the first N mails of the same sequence) against the backlog's registry.
        var growing = settings.Measures("registry") || settings.Measures("mails");
        var none = growing ? await stack.CreateFolderAsync($"bench-{runId}-none") : null;
        if (none is not null)
            folders.Add(none);
        var registries = new List<(int Size, string Template)>();
        foreach (var size in settings.Measures("registry") ? settings.RegistrySizes : [])
        {
            var bigger = Path.Combine(settings.Work, $"template-{size}");
            Registry.Create(size).WriteDatabase(bigger, DateTimeOffset.UtcNow.AddDays(-30));
            registries.Add((size, bigger));
        }

        var counts = new List<(int Count, string Folder, double Megabytes)>();
        var smaller = new Backlog(registry, settings.Attachments, settings.GrowthAttachmentKb * 1024, runId + "-growth");
        foreach (var count in settings.Measures("mails") ? settings.MailCounts : [])
        {
            var countFolder = await stack.CreateFolderAsync($"bench-{runId}-n{count}");
            folders.Add(countFolder);
            var (countBytes, countTime) = await Backlog.SeedAsync(stack, countFolder, count, smaller.Serialize);
            counts.Add((count, countFolder, countBytes / 1048576.0));
            Say($"seeded {count} mails ({Backlog.Size(countBytes)}, {settings.Attachments} × {settings.GrowthAttachmentKb} KB each) into {countFolder} in {F(countTime.TotalSeconds)} s");
        }

        var samples = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        void Add(string key, double value)
        {
            if (!samples.TryGetValue(key, out var list))
                samples[key] = list = [];
            list.Add(value);
        }

        // One `run --once` from a fresh copy of a registry template; the folder's outcome is checked against the expected total.
        async Task<(double Seconds, Kinds Kinds, string[] Profile)> Intake(Mailintake build, string template, string imapFolder, int expected, string name)
        {
            var data = Fresh(name);
            CopyDirectory(template, data);
            await Settle();
            var result = (await build.RunAsync(data, build.Environment(data, imapFolder, useIdle: false), "run", "--once")).EnsureSuccess($"mailintake run --once ({name})");
            var kinds = Kinds(Path.Combine(data, "mailintake.db"));
            if (kinds.Total != expected)
                throw new InvalidOperationException($"mailintake recorded {kinds.Total} mails of {expected} ({name})");
            if (!settings.Keep)
                Cleanup(name);
            // A work tree instrumented by bench/profile/apply.sh prints its per-phase breakdown.
            return (result.Elapsed.TotalSeconds, kinds, result.Stderr.Split('\n').Where(line => line.StartsWith("PROFILE", StringComparison.Ordinal)).ToArray());
        }

        for (var run = 1; run <= settings.Runs; run++)
        {
            // Interleaved, so that a slow moment of the machine does not fall on one contender only.
            if (settings.Measures("bare"))
            {
                await Settle();
                var sequential = await BareDownload.RunAsync(stack, folder, Fresh($"bare-{run}"), pipelined: false);
                Add("bare", sequential.Elapsed.TotalSeconds);
                await Settle();
                var pipelined = await BareDownload.RunAsync(stack, folder, Fresh($"bare-pipelined-{run}"), pipelined: true);
                Add("bare-pipelined", pipelined.Elapsed.TotalSeconds);
                Say($"  run {run}: bare MailKit download {F(sequential.Elapsed.TotalSeconds)} s sequential, {F(pipelined.Elapsed.TotalSeconds)} s pipelined ({sequential.Messages} messages)");
                Cleanup($"bare-{run}");
                Cleanup($"bare-pipelined-{run}");
            }

            if (settings.Measures("intake"))
            {
                var (seconds, kinds, profile) = await Intake(program, template, folder, settings.Mails, $"intake-{run}");
                Add("intake", seconds);
                Say($"  run {run}: mailintake run --once {F(seconds)} s — {kinds}");
                foreach (var line in profile)
                    Say("    " + line);
                report.Mix ??= kinds;
            }

            if (settings.Measures("intake") && settings.BaselineDirectory is { } baselineDirectory)
            {
                var (seconds, kinds, profile) = await Intake(new Mailintake(baselineDirectory, stack), template, folder, settings.Mails, $"baseline-{run}");
                Add("baseline", seconds);
                Say($"  run {run}: baseline mailintake run --once {F(seconds)} s — {kinds}");
                foreach (var line in profile)
                    Say("    " + line);
            }

            if (none is not null)
            {
                // Start-up and shutdown alone (runtime, host, migrations check, IMAP login, reading the registry): subtracted
                // from a pass to give the cost per mail.
                var (seconds, _, _) = await Intake(program, template, none, 0, $"startup-{run}");
                Add($"startup-{settings.Orgs}", seconds);
                foreach (var (size, bigger) in registries)
                {
                    var (startup, _, _) = await Intake(program, bigger, none, 0, $"startup-{size}-{run}");
                    Add($"startup-{size}", startup);
                    var (pass, kinds, _) = await Intake(program, bigger, folder, settings.Mails, $"registry-{size}-{run}");
                    Add($"registry-{size}", pass);
                    Say($"  run {run}: {size} organisations + {size} open notices: run --once {F(pass)} s, over an empty folder {F(startup)} s — {kinds}");
                    if (report.Mix is { } mix && kinds.ToString() != mix.ToString())
                        throw new InvalidOperationException($"with {size} organisations the backlog was filed differently: {kinds} (with {settings.Orgs}: {mix})");
                }

                foreach (var (count, countFolder, _) in counts)
                {
                    var (pass, kinds, _) = await Intake(program, template, countFolder, count, $"mails-{count}-{run}");
                    Add($"mails-{count}", pass);
                    Say($"  run {run}: {count} mails: run --once {F(pass)} s — {kinds}");
                }

                Say($"  run {run}: start-up over an empty folder {F(seconds)} s");
            }

            if (settings.Measures("mbsync"))
            {
                var root = Fresh($"mbsync-{run}");
                await Settle();
                var (elapsed, messages) = await Mbsync.RunAsync(stack, folder, root);
                Add("mbsync", elapsed.TotalSeconds);
                Say($"  run {run}: mbsync {F(elapsed.TotalSeconds)} s ({messages} messages)");
                if (messages != settings.Mails)
                    throw new InvalidOperationException($"mbsync fetched {messages} messages of {settings.Mails}");
                Cleanup($"mbsync-{run}");
            }

            if (settings.Measures("peer"))
            {
                var root = Fresh($"peer-{run}");
                await Settle();
                var result = await PeerPipeline.RunAsync(stack, folder, root);
                Add("getmail", result.Getmail.TotalSeconds);
                Add("ripmime", result.Ripmime.TotalSeconds);
                Add("peer", (result.Getmail + result.Ripmime).TotalSeconds);
                Say($"  run {run}: getmail6 {F(result.Getmail.TotalSeconds)} s + ripmime {F(result.Ripmime.TotalSeconds)} s ({result.Messages} messages, {result.Files} files)");
                if (result.Messages != settings.Mails)
                    throw new InvalidOperationException($"getmail6 fetched {result.Messages} messages of {settings.Mails}");
                Cleanup($"peer-{run}");
            }
        }

        Sample? Of(string key) => samples.TryGetValue(key, out var values) ? new Sample(values) : null;
        report.Backlog = $"{settings.Mails} mails × {settings.Attachments} × {settings.AttachmentKb} KB = {Backlog.Size(seeded)}, {settings.Orgs} organisations with one open notice each";
        foreach (var (key, label) in new[]
                 {
                     ("intake", "mailintake run --once (empty database)"),
                     ("baseline", $"baseline {settings.BaselineDirectory} run --once"),
                     ("bare-pipelined", "bare MailKit download, pipelined (one FETCH per 100 UIDs)"),
                     ("bare", "bare MailKit download, sequential (one FETCH per UID)"),
                     ("mbsync", "mbsync (isync) to a Maildir"),
                     ("peer", "getmail6 + ripmime"),
                     ("getmail", "  of which getmail6"),
                     ("ripmime", "  of which ripmime"),
                 })
        {
            if (Of(key) is { } sample)
                report.Add(key, label, sample, settings.Mails, megabytes);
        }

        if (Of($"startup-{settings.Orgs}") is { } baseStartup)
        {
            if (registries.Count > 0 && Of("intake") is { } basePass)
                report.RegistryGrowth.Add((settings.Orgs, basePass, baseStartup, settings.Mails));
            foreach (var (size, _) in registries)
                report.RegistryGrowth.Add((size, Of($"registry-{size}")!, Of($"startup-{size}")!, settings.Mails));
            foreach (var (count, _, countMegabytes) in counts)
                report.MailGrowth.Add((count, Of($"mails-{count}")!, baseStartup, countMegabytes));
        }
    }

    if (settings.Measures("idle"))
    {
        var folder = await stack.CreateFolderAsync($"bench-{runId}-idle");
        folders.Add(folder);
        var data = Fresh("idle");
        CopyDirectory(template, data);
        var backlog = new Backlog(registry, settings.Attachments, settings.AttachmentKb * 1024, runId + "-idle");
        using var worker = Processes.Start("dotnet", [program.Dll, "run"], data, program.Environment(data, folder, useIdle: true));
        var log = new System.Text.StringBuilder();
        worker.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        worker.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        worker.BeginErrorReadLine();
        worker.BeginOutputReadLine();
        try
        {
            string State()
            {
                lock (log) return (worker.HasExited ? $"exited {worker.ExitCode}" : "running") + $"; its log:\n{log}";
            }

            var (recorded, processed) = await IdleLatency.RunAsync(stack, folder, Path.Combine(data, "mailintake.db"), settings.IdleMails, backlog.Serialize, State);
            var serverFolder = await stack.CreateFolderAsync($"bench-{runId}-idle-server");
            folders.Add(serverFolder);
            var server = await IdleLatency.ServerAsync(stack, serverFolder, settings.IdleMails, backlog.Serialize);
            report.Idle = (recorded, processed, server);
            Say($"IDLE, the server alone (a bare client idling): APPEND → EXISTS p50 {F(server.Median * 1000, "0")} ms, p95 {F(server.Percentile(95) * 1000, "0")} ms");
            Say($"IDLE latency over {settings.IdleMails} mails: APPEND → recorded p50 {F(recorded.Median * 1000, "0")} ms, p95 {F(recorded.Percentile(95) * 1000, "0")} ms; " +
                $"→ processed p50 {F(processed.Median * 1000, "0")} ms, p95 {F(processed.Percentile(95) * 1000, "0")} ms");
        }
        finally
        {
            // SIGTERM: the worker stops as a service manager would stop it.
            Process.Start("kill", ["-TERM", worker.Id.ToString(CultureInfo.InvariantCulture)])?.WaitForExit();
            if (!worker.WaitForExit(TimeSpan.FromSeconds(20)))
                worker.Kill(entireProcessTree: true);
        }

        if (!settings.Keep)
            Cleanup("idle");
    }

    if (settings.Measures("memory"))
    {
        var folder = await stack.CreateFolderAsync($"bench-{runId}-big");
        folders.Add(folder);
        var big = new Backlog(registry, 1, settings.BigMb * 1024 * 1024, runId + "-big");
        var (bytes, _) = await Backlog.SeedAsync(stack, folder, 1, big.Serialize);
        var empty = await stack.CreateFolderAsync($"bench-{runId}-empty");
        folders.Add(empty);
        // The second mail: about --huge-mb as stored, four attachments of random bytes (base64 takes 78 bytes per 57).
        string? hugeFolder = null;
        long hugeBytes = 0;
        HashSet<string> hugeHashes = [];
        if (settings.HugeMb > 0)
        {
            hugeFolder = await stack.CreateFolderAsync($"bench-{runId}-huge");
            folders.Add(hugeFolder);
            var huge = new Backlog(registry, 4, (int)(settings.HugeMb * 1048576L * 57 / 78 / 4), runId + "-huge");
            (hugeBytes, _) = await Backlog.SeedAsync(stack, hugeFolder, 1, huge.Serialize);
            hugeHashes = huge.AttachmentHashes(0);
        }

        var peaks = new List<double>();
        var baselines = new List<double>();
        var hugePeaks = new List<double>();
        var basePeaks = new List<double>();
        var baseHugePeaks = new List<double>();
        for (var run = 1; run <= settings.Runs; run++)
        {
            var data = Fresh($"memory-{run}");
            CopyDirectory(template, data);
            var (result, rss) = await program.RunMeasuredAsync(data, program.Environment(data, folder, useIdle: false), "run", "--once");
            result.EnsureSuccess("mailintake run --once (big mail)");
            peaks.Add(rss / 1024.0);
            var baseData = Fresh($"memory-base-{run}");
            CopyDirectory(template, baseData);
            var (baseResult, baseRss) = await program.RunMeasuredAsync(baseData, program.Environment(baseData, empty, useIdle: false), "run", "--once");
            baseResult.EnsureSuccess("mailintake run --once (empty folder)");
            baselines.Add(baseRss / 1024.0);
            Say($"  run {run}: peak RSS {F(rss / 1024.0, "0")} MB ingesting one {Backlog.Size(bytes)} mail ({settings.BigMb} MB attachment) in {F(result.Elapsed.TotalSeconds)} s; " +
                $"{F(baseRss / 1024.0, "0")} MB over an empty folder");
            Cleanup($"memory-{run}");
            Cleanup($"memory-base-{run}");
            if (hugeFolder is not null)
            {
                var hugeData = Fresh($"memory-huge-{run}");
                CopyDirectory(template, hugeData);
                var (hugeResult, hugeRss) = await program.RunMeasuredAsync(hugeData, program.Environment(hugeData, hugeFolder, useIdle: false), "run", "--once");
                hugeResult.EnsureSuccess("mailintake run --once (huge mail)");
                EnsureFiledWith(hugeData, hugeHashes);
                hugePeaks.Add(hugeRss / 1024.0);
                Say($"  run {run}: peak RSS {F(hugeRss / 1024.0, "0")} MB ingesting one {Backlog.Size(hugeBytes)} mail (4 attachments) in {F(hugeResult.Elapsed.TotalSeconds)} s; " +
                    "filed as a reply, every evidence hash the source's");
                Cleanup($"memory-huge-{run}");
            }

            if (settings.BaselineDirectory is { } baselineDirectory)
            {
                var baselineProgram = new Mailintake(baselineDirectory, stack);
                var before = Fresh($"memory-baseline-{run}");
                CopyDirectory(template, before);
                var (beforeResult, beforeRss) = await baselineProgram.RunMeasuredAsync(before, baselineProgram.Environment(before, folder, useIdle: false), "run", "--once");
                beforeResult.EnsureSuccess("baseline mailintake run --once (big mail)");
                basePeaks.Add(beforeRss / 1024.0);
                Cleanup($"memory-baseline-{run}");
                var beforeHugeRss = 0L;
                if (hugeFolder is not null)
                {
                    var beforeHuge = Fresh($"memory-baseline-huge-{run}");
                    CopyDirectory(template, beforeHuge);
                    (beforeResult, beforeHugeRss) = await baselineProgram.RunMeasuredAsync(beforeHuge, baselineProgram.Environment(beforeHuge, hugeFolder, useIdle: false), "run", "--once");
                    beforeResult.EnsureSuccess("baseline mailintake run --once (huge mail)");
                    baseHugePeaks.Add(beforeHugeRss / 1024.0);
                    Cleanup($"memory-baseline-huge-{run}");
                }

                Say($"  run {run}: baseline build peak RSS {F(beforeRss / 1024.0, "0")} MB (big mail), {F(beforeHugeRss / 1024.0, "0")} MB (huge mail)");
            }
        }

        report.Memory = (new Sample(peaks), new Sample(baselines), Backlog.Size(bytes));
        if (hugePeaks.Count > 0)
            report.MemoryHuge = (new Sample(hugePeaks), Backlog.Size(hugeBytes));
        if (basePeaks.Count > 0)
            report.MemoryOfBaselineBuild = (new Sample(basePeaks), new Sample(baseHugePeaks.Count > 0 ? baseHugePeaks : [0]));
    }

    if (settings.Measures("digest"))
    {
        // A Monday 09:00 in Taipei (a working day, after Staff:DigestTime 08:30); the Sunday before is not a working day.
        var asOf = new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.FromHours(8));
        var digestTemplate = Path.Combine(settings.Work, "digest-template");
        var seedWatch = Stopwatch.StartNew();
        DigestData.Write(digestTemplate, settings.DigestNotices, asOf);
        Say($"seeded {settings.DigestNotices} open notices for the digest in {F(seedWatch.Elapsed.TotalSeconds)} s");
        var digests = new List<double>();
        var baselines = new List<double>();
        for (var run = 1; run <= settings.Runs; run++)
        {
            var data = Fresh($"digest-{run}");
            CopyDirectory(digestTemplate, data);
            var environment = program.Environment(data, "INBOX", useIdle: false);
            var result = (await program.RunAsync(data, environment, "jobs", "run", "digest", "--as-of", asOf.ToString("yyyy-MM-dd'T'HH:mm:sszzz"))).EnsureSuccess("jobs run digest");
            var queued = result.Stdout.Split('\n').FirstOrDefault()?.Trim();
            if (queued is null || !queued.Contains("已排入寄送", StringComparison.Ordinal))
                throw new InvalidOperationException($"the digest was not queued: {result.Stdout}");
            var sunday = (await program.RunAsync(data, environment, "jobs", "run", "digest", "--as-of", asOf.AddDays(-1).ToString("yyyy-MM-dd'T'HH:mm:sszzz"))).EnsureSuccess("jobs run digest (Sunday)");
            digests.Add(result.Elapsed.TotalSeconds);
            baselines.Add(sunday.Elapsed.TotalSeconds);
            var size = Directory.GetFiles(Path.Combine(data, "pickup"), "*.eml").Select(file => new FileInfo(file).Length).Sum();
            Say($"  run {run}: jobs run digest {F(result.Elapsed.TotalSeconds)} s ({queued}; {Backlog.Size(size)} mail); the same command on a Sunday (no digest) {F(sunday.Elapsed.TotalSeconds)} s");
            // An instrumented build (bench/profile) prints its phases on stderr.
            foreach (var line in result.Stderr.Split('\n').Where(line => line.StartsWith("PROFILE", StringComparison.Ordinal)))
            {
                Say($"    {line}");
            }

            Cleanup($"digest-{run}");
        }

        report.Digest = (new Sample(digests), new Sample(baselines));
    }
}
finally
{
    CleanUp();
}

Console.WriteLine();
Console.WriteLine(report.Render());
return 0;

// Each contender starts with no dirty pages of the one before (seeding writes 400 MB, getmail6 and ripmime as much
// again): their write-back would otherwise land in the next contender's fsyncs.
static async Task Settle() => (await Processes.RunAsync("sync", [], "/")).EnsureSuccess("sync");

string Fresh(string name)
{
    var path = Path.Combine(settings.Work, name);
    if (Directory.Exists(path))
        Directory.Delete(path, recursive: true);
    Directory.CreateDirectory(path);
    return path;
}

void Cleanup(string name)
{
    var path = Path.Combine(settings.Work, name);
    if (Directory.Exists(path))
        Directory.Delete(path, recursive: true);
}

static void CopyDirectory(string from, string to)
{
    Directory.CreateDirectory(to);
    foreach (var file in Directory.GetFiles(from))
        File.Copy(file, Path.Combine(to, Path.GetFileName(file)), overwrite: true);
}

// The big mail must end filed as a reply whose evidence is exactly its attachments, byte for byte (by SHA-256).
static void EnsureFiledWith(string dataDirectory, IReadOnlySet<string> attachmentHashes)
{
    using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "mailintake.db")};Mode=ReadOnly;Pooling=False");
    var kinds = connection.Query<string>("SELECT kind FROM mails").ToList();
    var evidence = connection.Query<string>("SELECT sha256 FROM evidence").ToHashSet(StringComparer.Ordinal);
    if (kinds is not ["reply"] || !evidence.SetEquals(attachmentHashes))
        throw new InvalidOperationException($"the big mail was not filed correctly: kinds {string.Join(",", kinds)}; evidence {string.Join(",", evidence)}; expected {string.Join(",", attachmentHashes)}");
}

static Kinds Kinds(string databasePath)
{
    using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
    var kinds = connection.Query<(string Kind, long Count)>("SELECT kind, COUNT(*) FROM mails GROUP BY kind ORDER BY kind").ToList();
    var matched = connection.Query<(string By, long Count)>("SELECT matched_by, COUNT(*) FROM replies GROUP BY matched_by ORDER BY matched_by").ToList();
    var evidence = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM evidence");
    var receipts = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM outbound WHERE kind = 'receipt'");
    return new Kinds((int)kinds.Sum(k => k.Count), kinds, matched, evidence, receipts);
}
