using System.Globalization;

namespace MailIntake.Bench;

/// <summary>Several timed runs of one thing: the median, and the spread as min–max.</summary>
public sealed record Sample(IReadOnlyList<double> Values)
{
    public double Median
    {
        get
        {
            var sorted = Values.Order().ToList();
            return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
        }
    }

    public double Min => Values.Min();
    public double Max => Values.Max();

    /// <summary>The value below which <paramref name="percent"/> % of the values lie (nearest rank).</summary>
    public double Percentile(double percent)
    {
        var sorted = Values.Order().ToList();
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    public string Seconds() => $"{F(Median, "0.00")} s (min {F(Min, "0.00")}, max {F(Max, "0.00")}, n={Values.Count})";

    public static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
