using System.Text;

namespace MailIntake.Bench;

public sealed record Kinds(int Total, IReadOnlyList<(string Kind, long Count)> ByKind, IReadOnlyList<(string By, long Count)> MatchedBy, long Evidence, long Receipts)
{
    public override string ToString() =>
        $"{string.Join(", ", ByKind.Select(k => $"{k.Count} {k.Kind}"))}; matched by {string.Join(", ", MatchedBy.Select(m => $"{m.By} {m.Count}"))}; " +
        $"{Evidence} evidence files, {Receipts} receipts queued";
}

/// <summary>The figures of one run, and the targets of issues 7 and 13 judged against them.</summary>
public sealed class Report
{
    private readonly Dictionary<string, (string Label, Sample Seconds, int Mails, double Megabytes)> _throughput = new(StringComparer.Ordinal);

    public string? Backlog { get; set; }
    public Kinds? Mix { get; set; }
    public (Sample Recorded, Sample Processed, Sample Server)? Idle { get; set; }
    public (Sample PeakMb, Sample BaselineMb, string MailSize)? Memory { get; set; }
    public (Sample PeakMb, string MailSize)? MemoryHuge { get; set; }
    public (Sample PeakMb, Sample HugePeakMb)? MemoryOfBaselineBuild { get; set; }
    public (Sample Seconds, Sample Baseline)? Digest { get; set; }

    /// <summary>The same backlog against registries of these sizes: the pass, the start-up over an empty folder, the mails.</summary>
    public List<(int Organisations, Sample Pass, Sample Startup, int Mails)> RegistryGrowth { get; } = [];

    /// <summary>Backlogs of these sizes against the same registry: the pass and the start-up over an empty folder.</summary>
    public List<(int Mails, Sample Pass, Sample Startup, double Megabytes)> MailGrowth { get; } = [];

    public void Add(string key, string label, Sample seconds, int mails, double megabytes) => _throughput[key] = (label, seconds, mails, megabytes);

    public string Render()
    {
        string F(double value, string format = "0.00") => Sample.F(value, format);
        var text = new StringBuilder();
        text.AppendLine("=== results (median of the runs; spread min–max) ===");
        if (Backlog is not null)
        {
            text.AppendLine($"backlog: {Backlog}");
            if (Mix is not null)
                text.AppendLine($"intake outcome: {Mix}");
            foreach (var (_, (label, seconds, mails, megabytes)) in _throughput)
                text.AppendLine($"{label,-60} {seconds.Seconds(),-40} {F(mails / seconds.Median, "0.0"),7} mails/s {F(megabytes / seconds.Median, "0.0"),7} MB/s");
        }

        text.AppendLine();
        text.AppendLine("=== targets ===");
        if (_throughput.TryGetValue("intake", out var intake))
        {
            double Ratio(string key) => intake.Seconds.Median / _throughput[key].Seconds.Median;
            if (_throughput.ContainsKey("baseline"))
                text.AppendLine($"intake vs the baseline build: {F(1 / Ratio("baseline"), "0.00")}× faster");
            if (_throughput.ContainsKey("bare-pipelined"))
                text.AppendLine($"intake ÷ bare pipelined download (the limit): {F(Ratio("bare-pipelined"))} (target ≤ 1.5, moonshot ≤ 1.2) {Verdict(Ratio("bare-pipelined") <= 1.5)}");
            if (_throughput.ContainsKey("mbsync"))
                text.AppendLine($"intake ÷ mbsync: {F(Ratio("mbsync"))} (target ≤ 1.0, moonshot ≤ 0.8) {Verdict(Ratio("mbsync") <= 1.0)}");
            if (_throughput.ContainsKey("peer"))
                text.AppendLine($"intake ÷ getmail6+ripmime: {F(Ratio("peer"))} (target ≤ 0.2, moonshot ≤ 0.15) {Verdict(Ratio("peer") <= 0.2)}");
            if (_throughput.ContainsKey("bare"))
                text.AppendLine($"intake ÷ bare sequential download: {F(Ratio("bare"))} (for information)");
        }

        if (RegistryGrowth.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("=== registry growth: the same backlog, N organisations with one open notice each ===");
            text.AppendLine($"{"organisations",14} {"run --once",-36} {"empty folder",-36} {"per mail",9} {"÷ first",8}");
            var first = PerMail(RegistryGrowth[0].Pass, RegistryGrowth[0].Startup, RegistryGrowth[0].Mails);
            foreach (var (organisations, pass, startup, mails) in RegistryGrowth)
            {
                var perMail = PerMail(pass, startup, mails);
                text.AppendLine($"{organisations,14:N0} {pass.Seconds(),-36} {startup.Seconds(),-36} {F(perMail * 1000, "0.00"),6} ms {F(perMail / first, "0.00"),7}×");
            }

            var (lastOrganisations, lastPass, lastStartup, lastMails) = RegistryGrowth[^1];
            var growth = PerMail(lastPass, lastStartup, lastMails) / first;
            text.AppendLine($"per-mail cost at {lastOrganisations:N0} ÷ at {RegistryGrowth[0].Organisations:N0}: {F(growth)} (target ≤ 1.2, moonshot ≤ 1.05) {Verdict(growth <= 1.2)}");
        }

        if (MailGrowth.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("=== mail-count growth: N mails of the same mix and shape (smaller attachments), the same registry ===");
            text.AppendLine($"{"mails",14} {"size",9} {"run --once",-36} {"per mail",9} {"÷ first",8}");
            var first = PerMail(MailGrowth[0].Pass, MailGrowth[0].Startup, MailGrowth[0].Mails);
            foreach (var (mails, pass, startup, megabytes) in MailGrowth)
            {
                var perMail = PerMail(pass, startup, mails);
                text.AppendLine($"{mails,14:N0} {F(megabytes, "0.0"),6} MB {pass.Seconds(),-36} {F(perMail * 1000, "0.00"),6} ms {F(perMail / first, "0.00"),7}×");
            }
        }

        if (Idle is { } idle)
        {
            var p95 = idle.Recorded.Percentile(95);
            var serverP95 = idle.Server.Percentile(95);
            text.AppendLine($"IDLE APPEND → EXISTS, the server alone: p50 {F(idle.Server.Median * 1000, "0")} ms, p95 {F(serverP95 * 1000, "0")} ms, max {F(idle.Server.Max * 1000, "0")} ms");
            text.AppendLine($"IDLE APPEND → recorded: p50 {F(idle.Recorded.Median * 1000, "0")} ms, p95 {F(p95 * 1000, "0")} ms, max {F(idle.Recorded.Max * 1000, "0")} ms " +
                $"(target p95 ≤ the server's p95 + 30 ms = {F((serverP95 + 0.030) * 1000, "0")} ms) {Verdict(p95 <= serverP95 + 0.030)}");
            text.AppendLine($"IDLE APPEND → processed (filed, receipt queued): p50 {F(idle.Processed.Median * 1000, "0")} ms, p95 {F(idle.Processed.Percentile(95) * 1000, "0")} ms");
        }

        if (Memory is { } memory)
        {
            text.AppendLine($"peak RSS, run --once over one {memory.MailSize} mail: {F(memory.PeakMb.Median, "0")} MB (min {F(memory.PeakMb.Min, "0")}, max {F(memory.PeakMb.Max, "0")}) " +
                $"(target ≤ 130 MB) {Verdict(memory.PeakMb.Median <= 130)}; over an empty folder {F(memory.BaselineMb.Median, "0")} MB");
        }

        if (MemoryHuge is { } huge)
        {
            text.AppendLine($"peak RSS, run --once over one {huge.MailSize} mail (4 attachments, filed with every evidence hash the source's): " +
                $"{F(huge.PeakMb.Median, "0")} MB (min {F(huge.PeakMb.Min, "0")}, max {F(huge.PeakMb.Max, "0")}) (target ≤ 200 MB) {Verdict(huge.PeakMb.Median <= 200)}");
        }

        if (MemoryOfBaselineBuild is { } before)
        {
            text.AppendLine($"peak RSS of the baseline build: {F(before.PeakMb.Median, "0")} MB (min {F(before.PeakMb.Min, "0")}, max {F(before.PeakMb.Max, "0")}) over the first mail, " +
                $"{F(before.HugePeakMb.Median, "0")} MB (min {F(before.HugePeakMb.Min, "0")}, max {F(before.HugePeakMb.Max, "0")}) over the second");
        }

        if (Digest is { } digest)
        {
            text.AppendLine($"digest over open notices: {digest.Seconds.Seconds()} (target < 2 s, moonshot < 1 s) {Verdict(digest.Seconds.Median < 2)}; " +
                $"process start-up alone (Sunday, no digest) {F(digest.Baseline.Median)} s");
        }

        return text.ToString();
    }

    private static string Verdict(bool met) => met ? "MET" : "MISSED";

    /// <summary>Seconds per mail: the pass less what the same command costs over an empty folder.</summary>
    private static double PerMail(Sample pass, Sample startup, int mails) => (pass.Median - startup.Median) / mails;
}
