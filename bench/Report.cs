using System.Text;

namespace MailIntake.Bench;

public sealed record Kinds(int Total, IReadOnlyList<(string Kind, long Count)> ByKind, IReadOnlyList<(string By, long Count)> MatchedBy, long Evidence, long Receipts)
{
    public override string ToString() =>
        $"{string.Join(", ", ByKind.Select(k => $"{k.Count} {k.Kind}"))}; matched by {string.Join(", ", MatchedBy.Select(m => $"{m.By} {m.Count}"))}; " +
        $"{Evidence} evidence files, {Receipts} receipts queued";
}

/// <summary>The figures of one run, and the targets of issue 7 judged against them.</summary>
public sealed class Report
{
    private readonly Dictionary<string, (string Label, Sample Seconds, int Mails, double Megabytes)> _throughput = new(StringComparer.Ordinal);

    public string? Backlog { get; set; }
    public Kinds? Mix { get; set; }
    public (Sample Recorded, Sample Processed)? Idle { get; set; }
    public (Sample PeakMb, Sample BaselineMb, string MailSize)? Memory { get; set; }
    public (Sample Seconds, Sample Baseline)? Digest { get; set; }

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
            if (_throughput.TryGetValue("baseline", out var baseline))
                text.AppendLine($"intake vs the baseline build: {F(baseline.Seconds.Median / intake.Seconds.Median, "0.00")}× faster");

            if (_throughput.TryGetValue("peer", out var peer))
            {
                var ratio = peer.Seconds.Median / intake.Seconds.Median;
                text.AppendLine($"intake vs getmail6+ripmime: {F(ratio, "0.00")}× faster (target ≥ 3×) {Verdict(ratio >= 3)}");
            }

            if (_throughput.TryGetValue("bare", out var bare))
            {
                var ratio = intake.Seconds.Median / bare.Seconds.Median;
                text.AppendLine($"intake vs bare sequential download: {F(ratio, "0.00")}× its time (target ≤ 1.5×) {Verdict(ratio <= 1.5)}");
            }

            if (_throughput.TryGetValue("bare-pipelined", out var pipelined))
                text.AppendLine($"intake vs bare pipelined download: {F(intake.Seconds.Median / pipelined.Seconds.Median, "0.00")}× its time (for information)");
        }

        if (Idle is { } idle)
        {
            var p95 = idle.Recorded.Percentile(95);
            text.AppendLine($"IDLE APPEND → recorded: p50 {F(idle.Recorded.Median * 1000, "0")} ms, p95 {F(p95 * 1000, "0")} ms, max {F(idle.Recorded.Max * 1000, "0")} ms (target p95 < 1000 ms) {Verdict(p95 < 1)}");
            text.AppendLine($"IDLE APPEND → processed (filed, receipt queued): p50 {F(idle.Processed.Median * 1000, "0")} ms, p95 {F(idle.Processed.Percentile(95) * 1000, "0")} ms");
        }

        if (Memory is { } memory)
        {
            text.AppendLine($"peak RSS, run --once over one {memory.MailSize} mail: {F(memory.PeakMb.Median, "0")} MB (min {F(memory.PeakMb.Min, "0")}, max {F(memory.PeakMb.Max, "0")}) " +
                $"(target < 200 MB) {Verdict(memory.PeakMb.Median < 200)}; over an empty folder {F(memory.BaselineMb.Median, "0")} MB");
        }

        if (Digest is { } digest)
        {
            text.AppendLine($"digest over open notices: {digest.Seconds.Seconds()} (target < 2 s) {Verdict(digest.Seconds.Median < 2)}; " +
                $"process start-up alone (Sunday, no digest) {F(digest.Baseline.Median)} s");
        }

        return text.ToString();
    }

    private static string Verdict(bool met) => met ? "MET" : "MISSED";
}
