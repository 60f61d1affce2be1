using System.Globalization;
using MailIntake.Parsing;

namespace MailIntake.Worker.Cli;

/// <summary>Parses and prints the values of the CLI contract: DATE (ROC or ISO, full-width digits too), DATETIME, instants.</summary>
public static class CliValues
{
    public static DateOnly ParseDate(string? text, string option) =>
        RocDate.TryParse(text, out var date)
            ? date
            : throw new CliException($"{option}：無法辨識的日期「{text}」（可用 2026-12-10、115/12/10、115.12.10、115年12月10日、中華民國115年12月10日）", 2);

    /// <summary>ISO 8601; without an offset the time is read in the configured time zone (Asia/Taipei).</summary>
    public static DateTimeOffset ParseDateTime(string? text, string option, TimeZoneInfo zone)
    {
        var normalised = FullWidth.ToHalfWidth(text ?? string.Empty).Trim();
        if (DateTimeOffset.TryParse(normalised, CultureInfo.InvariantCulture, DateTimeStyles.None, out var withOffset)
            && HasOffset(normalised))
        {
            return withOffset;
        }

        if (DateTime.TryParse(normalised, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
            return new DateTimeOffset(unspecified, zone.GetUtcOffset(unspecified));
        }

        throw new CliException($"{option}：無法辨識的時間「{text}」（ISO 8601，例如 2026-12-10T09:00 或 2026-12-10T09:00+08:00）", 2);
    }

    /// <summary>How far from the real clock <c>jobs run --as-of</c> may set a job's clock: a job run a year off is a typing error.</summary>
    public static readonly TimeSpan AsOfRange = TimeSpan.FromDays(366);

    public static void CheckAsOf(DateTimeOffset asOf, DateTimeOffset now)
    {
        if (asOf < now - AsOfRange || asOf > now + AsOfRange)
        {
            throw new CliException($"--as-of 須在現在前後一年內：{asOf:yyyy-MM-dd'T'HH:mm:sszzz}", 2);
        }
    }

    private static bool HasOffset(string text) =>
        text.EndsWith('Z') || text.EndsWith('z')
        || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':')
        || (text.Length > 5 && text[^5] is '+' or '-' && char.IsDigit(text[^1]) && text.IndexOf('T') > 0 && text.LastIndexOfAny(['+', '-']) > text.IndexOf('T'));

    public static string Instant(DateTimeOffset instant, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(instant, zone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    public static string? Instant(DateTimeOffset? instant, TimeZoneInfo zone) => instant is { } value ? Instant(value, zone) : null;

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string? Date(DateOnly? date) => date is { } value ? Date(value) : null;
}
