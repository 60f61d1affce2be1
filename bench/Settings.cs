using System.Globalization;

namespace MailIntake.Bench;

/// <summary>
/// What one benchmark run does. Every setting has a default, a flag (<c>--mails 400</c>) and an environment
/// variable (<c>BENCH_MAILS=400</c>); a flag wins over the environment.
/// </summary>
public sealed record Settings(
    int Mails,
    int Attachments,
    int AttachmentKb,
    int Orgs,
    int Runs,
    int IdleMails,
    int BigMb,
    int HugeMb,
    int DigestNotices,
    IReadOnlyList<int> RegistrySizes,
    IReadOnlyList<int> MailCounts,
    int GrowthAttachmentKb,
    IReadOnlySet<string> Only,
    string Work,
    string ProgramDirectory,
    string? BaselineDirectory,
    bool Keep)
{
    public static readonly string[] Parts = ["intake", "peer", "bare", "mbsync", "registry", "mails", "idle", "memory", "digest"];

    public bool Measures(string part) => Only.Contains(part);

    public static Settings Parse(string[] args)
    {
        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
                throw new ArgumentException($"unexpected argument {args[i]}");
            var key = args[i][2..];
            if (key is "keep" or "help")
            {
                flags[key] = "1";
                continue;
            }

            if (i + 1 >= args.Length)
                throw new ArgumentException($"--{key} needs a value");
            flags[key] = args[++i];
        }

        if (flags.ContainsKey("help"))
        {
            Console.WriteLine(Help);
            Environment.Exit(0);
        }

        string Text(string key, string fallback) =>
            flags.TryGetValue(key, out var flag) ? flag
            : Environment.GetEnvironmentVariable("BENCH_" + key.ToUpperInvariant().Replace('-', '_')) is { Length: > 0 } env ? env
            : fallback;
        int Number(string key, int fallback) => int.Parse(Text(key, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        IReadOnlyList<int> Numbers(string key, string fallback) =>
            Text(key, fallback).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(value => int.Parse(value, CultureInfo.InvariantCulture)).ToList();

        var only = Text("only", string.Join(',', Parts)).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = only.Except(Parts).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"--only: unknown part(s) {string.Join(", ", unknown)}; parts are {string.Join(",", Parts)}");

        return new Settings(
            Mails: Number("mails", 1000),
            Attachments: Number("attachments", 3),
            AttachmentKb: Number("attachment-kb", 100),
            Orgs: Number("orgs", 100),
            Runs: Number("runs", 3),
            IdleMails: Number("idle-mails", 100),
            BigMb: Number("big-mb", 40),
            HugeMb: Number("huge-mb", 150),
            DigestNotices: Number("digest-notices", 50000),
            RegistrySizes: Numbers("registry-sizes", "1000,10000"),
            MailCounts: Numbers("mail-counts", "100,1000,5000"),
            GrowthAttachmentKb: Number("growth-attachment-kb", 20),
            Only: only.ToHashSet(StringComparer.Ordinal),
            Work: Path.GetFullPath(Text("work", Path.Combine(Path.GetTempPath(), $"mailintake-bench-{Environment.ProcessId}"))),
            ProgramDirectory: Path.GetFullPath(Text("program", "Worker/bin/Release/net10.0")),
            BaselineDirectory: Text("baseline", "") is { Length: > 0 } baseline ? Path.GetFullPath(baseline) : null,
            Keep: Text("keep", "0") == "1");
    }

    public const string Help = """
        mailintake-bench [--FLAG VALUE]…   (or BENCH_FLAG=VALUE in the environment)
          --mails N            backlog size (1000)
          --attachments N      attachments per mail (3)
          --attachment-kb N    size of each attachment in KB (100)
          --orgs N             organisations in the registry, one open notice each (100)
          --runs N             timed runs of each throughput measurement; the median is reported (3)
          --idle-mails N       mails appended one at a time for the IDLE latency (100)
          --big-mb N           the attachment of the peak-memory mail, in MB (40)
          --huge-mb N          the size of the second peak-memory mail, four attachments, in MB (150; 0: not measured)
          --digest-notices N   open notices for the digest (50000)
          --registry-sizes a,b registry growth: intake of the same backlog with these many organisations and open notices
                               besides --orgs (1000,10000)
          --mail-counts a,b    mail-count growth: intake of backlogs of these sizes (100,1000,5000), mails of the same mix
                               with --attachments attachments of --growth-attachment-kb KB each (20: 5,000 mails of the
                               main shape are 2 GB to seed and 3.4 GB to write per run)
          --only a,b           parts to run: intake,peer,bare,mbsync,registry,mails,idle,memory,digest (all; registry and
                               mails need intake)
          --work DIR           scratch directory (a fresh one under /tmp)
          --program DIR        the built mailintake (Worker/bin/Release/net10.0)
          --baseline DIR       another build of mailintake (e.g. main's) to time on the same backlog, interleaved: before/after
          --keep               keep the scratch directory and the IMAP folders
        """;
}
