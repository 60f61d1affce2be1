using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.Tests.Hostile;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary>
/// The whole hostile corpus (tests/HostileCorpus, full size) in the center's IMAP folder, then one <c>run --once</c>:
/// it ends, every mail is recorded with a kind (and a reason when not filed), nothing lands outside the data folder,
/// the zip bomb is kept compressed, the oversize attachment is flagged, and the run's memory stays bounded.
/// </summary>
public sealed partial class HostileCorpusIntakeTests(ITestOutputHelper output) : EndToEndTest(output)
{
    private const long MaxAttachmentBytes = 1024 * 1024;
    private const long MaxPeakRssBytes = 1024L * 1024 * 1024;
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    private static readonly string[] Kinds = ["reply", "auto-reply", "bounce", "unmatched", "ambiguous", "suspicious"];

    private static readonly string[] NameFlags = ["path", "control-characters", "rtl-override", "device-name", "long-name", "executable", "double-extension"];

    protected override void ConfigureProgram(MailIntakeCli cli)
    {
        cli.Environment["MailIntake__Mailbox__MaxAttachmentBytes"] = MaxAttachmentBytes.ToString(CultureInfo.InvariantCulture);
        cli.Environment["MailIntake__Mailbox__TrustedAuthServIds__0"] = "mail.intake.test";
    }

    [Fact]
    public async Task RunOnce_WholeHostileCorpus_RecordsEveryMailWithKindAndWritesNothingOutsideDataDirectory()
    {
        var reference = await ImportOrgsAndIssueNoticeAsync();
        var token = $"hostile-{Guid.NewGuid():N}"[..24];
        var inputs = HostileCorpus.All(reference, token, HostileScale.Full);
        foreach (var input in inputs)
        {
            try
            {
                await Mailbox.AppendAsync(input.Bytes);
            }
            catch (IOException e)
            {
                throw new Xunit.Sdk.XunitException($"Dovecot refused {input}: {e.Message}");
            }
        }

        Assert.Equal(inputs.Count, await Mailbox.CountAsync());
        Output.WriteLine($"{inputs.Count} hostile mails appended ({inputs.Sum(i => (long)i.Bytes.Length):N0} bytes), largest {inputs.MaxBy(i => i.Bytes.Length)}");

        var (run, peakRss, elapsed) = await RunMeasuredAsync("run", "--once");

        Assert.True(run.ExitCode == 0, $"run --once must exit 0 on hostile mail: {run.Describe()}");
        Output.WriteLine($"run --once: {elapsed.TotalSeconds:0.0} s, peak RSS {(peakRss is { } rss ? $"{rss / 1024 / 1024:N0} MB" : "not measured (no /usr/bin/time)")}");
        if (peakRss is { } peak)
            Assert.True(peak < MaxPeakRssBytes, $"peak RSS {peak / 1024 / 1024:N0} MB exceeds {MaxPeakRssBytes / 1024 / 1024:N0} MB");

        var mails = await Cli.ListMailAsync();
        Output.WriteLine(string.Join("\n", mails.Select(m => $"#{m.MailId} {m.Kind,-10} {Shorten(m.Subject)} | {Shorten(m.Reason)}")));
        Assert.True(mails.Count == inputs.Count, $"{inputs.Count} mails in, {mails.Count} listed: {Dump(mails)}");
        foreach (var mail in mails)
        {
            Assert.True(Kinds.Contains(mail.Kind), $"mail #{mail.MailId} was left as \"{mail.Kind}\": {Dump(mail)}");
            if (mail.Kind != "reply")
                Assert.True(!string.IsNullOrWhiteSpace(mail.Reason), $"mail #{mail.MailId} is {mail.Kind} without a reason: {Dump(mail)}");
        }

        AssertNothingWrittenOutsideDataDirectory(token);

        var evidence = (await Cli.ShowNoticeAsync(reference)).Replies.SelectMany(r => r.Evidence).ToList();
        var bomb = HostileCorpus.ZipBomb(HostileScale.Full.ZipBombEntryBytes);
        var bombEvidence = evidence.SingleOrDefault(e => e.Sha256 == Sha256(bomb));
        Assert.True(bombEvidence is not null, $"the zip bomb must be filed as evidence: {Dump(evidence)}");
        Assert.True(bombEvidence.Size == bomb.Length, $"the zip bomb is kept as the {bomb.Length:N0} bytes it arrived as, never expanded: {Dump(bombEvidence)}");
        AssertNothingExpanded(inputs.Max(i => i.Bytes.Length));

        var oversize = HostileCorpus.OversizeContent(HostileScale.Full);
        var oversizeEvidence = evidence.SingleOrDefault(e => e.Sha256 == Sha256(oversize));
        Assert.True(oversizeEvidence is not null, $"the oversize attachment must be recorded: {Dump(evidence)}");
        Assert.True(oversizeEvidence.Flags.Contains("oversize") && oversizeEvidence.Flags.Contains("not-stored") && oversizeEvidence.Size == oversize.Length,
            $"an attachment of {oversize.Length:N0} bytes over MaxAttachmentBytes {MaxAttachmentBytes:N0} is flagged oversize, not-stored: {Dump(oversizeEvidence)}");
        Assert.DoesNotContain(Sha256(oversize), DataFileHashes());

        var flags = evidence.SelectMany(e => e.Flags).ToHashSet();
        Assert.True(NameFlags.All(flags.Contains), $"hostile names must raise {string.Join(", ", NameFlags)}; got {string.Join(", ", flags)}");
        foreach (var file in evidence)
            AssertSafeFileName(file.FileName);

        var again = await Cli.RunAsync("run", "--once");
        Assert.True(again.ExitCode == 0, $"a second pass must find nothing left to do: {again.Describe()}");
        Assert.Equal(inputs.Count, (await Cli.ListMailAsync()).Count);
    }

    /// <summary>Runs the program under /usr/bin/time -v when present: the result, the peak resident set and the wall time.</summary>
    private async Task<(CliResult Result, long? PeakRss, TimeSpan Elapsed)> RunMeasuredAsync(params string[] args)
    {
        var report = Path.Combine(Workspace.Root, "time-v.txt");
        if (File.Exists("/usr/bin/time"))
            Cli.CommandPrefix = ["/usr/bin/time", "-v", "-o", report];
        var clock = Stopwatch.StartNew();
        try
        {
            var result = await Cli.RunAsync(RunTimeout, args);
            long? peak = File.Exists(report) && MaxRss().Match(File.ReadAllText(report)) is { Success: true } match
                ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) * 1024
                : null;
            return (result, peak, clock.Elapsed);
        }
        finally
        {
            Cli.CommandPrefix = [];
            File.Delete(report);
        }
    }

    private void AssertNothingWrittenOutsideDataDirectory(string token)
    {
        var allowed = new[] { Workspace.DataDirectory, Workspace.Outbox, Workspace.Input }.Select(d => d + Path.DirectorySeparatorChar).ToArray();
        var strays = Directory.EnumerateFiles(Workspace.Root, "*", SearchOption.AllDirectories)
            .Where(f => !allowed.Any(a => f.StartsWith(a, StringComparison.Ordinal)))
            .ToList();
        Assert.True(strays.Count == 0, $"files outside the data directory: {string.Join(", ", strays)}");

        // The traversal names all carry the token: no file anywhere they could have reached may bear it.
        var named = new[] { "/tmp", "/", "/etc/cron.d", Path.GetTempPath(), Workspace.Root }
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, $"*{token}*", d == Workspace.Root ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly))
            .ToList();
        Assert.True(named.Count == 0, $"a hostile attachment name was used as a path: {string.Join(", ", named)}");
    }

    /// <summary>Nothing under the data folder is bigger than the biggest mail that came in: no archive or document was expanded.</summary>
    private void AssertNothingExpanded(long largestInput)
    {
        var largest = Directory.EnumerateFiles(Workspace.DataDirectory, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".db", StringComparison.Ordinal) && !f.Contains(".db-", StringComparison.Ordinal))
            .Select(f => new FileInfo(f))
            .MaxBy(f => f.Length)!;
        Assert.True(largest.Length <= largestInput, $"{largest.FullName} is {largest.Length:N0} bytes, more than any mail received ({largestInput:N0})");
    }

    private HashSet<string> DataFileHashes() =>
        Directory.EnumerateFiles(Workspace.DataDirectory, "*", SearchOption.AllDirectories)
            .Select(f => Sha256(File.ReadAllBytes(f)))
            .ToHashSet();

    private static void AssertSafeFileName(string name)
    {
        var why =
            name.Length == 0 ? "is empty" :
            name is "." or ".." ? "is a directory name" :
            name.IndexOfAny(['/', '\\', ':']) >= 0 ? "contains a path separator or drive colon" :
            name.Any(char.IsControl) ? "contains a control character" :
            name.Any(c => c is '\u200E' or '\u200F' or '\u061C' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069')) ? "contains a bidirectional control" :
            name.Length > 200 ? "is longer than 200 characters" :
            null;
        Assert.True(why is null, $"evidence fileName \"{Uri.EscapeDataString(name)}\" {why}");
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static string Shorten(string? text) =>
        text is null ? "(null)" : text.Length <= 70 ? text.ReplaceLineEndings(" ") : text[..70].ReplaceLineEndings(" ") + "…";

    [GeneratedRegex(@"Maximum resident set size \(kbytes\): (\d+)")]
    private static partial Regex MaxRss();
}
