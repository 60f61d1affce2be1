using System.Globalization;
using System.Text.RegularExpressions;

namespace MailIntake.Parsing;

/// <summary>
/// Dates as Taiwanese organisations write them: Republic of China (Minguo) years such as
/// 中華民國115年12月10日 or 115/12/10, and plain Gregorian dates such as 2026-12-10.
/// </summary>
public static partial class RocDate
{
    private const int RocEpochOffset = 1911;

    // [0-9] rather than \d: \d also matches Arabic-Indic and other digits that
    // FullWidth does not fold and nobody in Taiwan types.
    [GeneratedRegex(
        @"^(?:(?:中華)?民國\s*)?(?<year>[0-9]{2,4})\s*年\s*(?<month>[0-9]{1,2})\s*月\s*(?<day>[0-9]{1,2})\s*日$",
        RegexOptions.CultureInvariant)]
    private static partial Regex ChineseForm();

    [GeneratedRegex(
        @"^(?<year>[0-9]{2,4})\s*(?<sep>[-/.])\s*(?<month>[0-9]{1,2})\s*\k<sep>\s*(?<day>[0-9]{1,2})$",
        RegexOptions.CultureInvariant)]
    private static partial Regex NumericForm();

    public static bool TryParse(string? text, out DateOnly date)
    {
        date = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        string candidate = FullWidth.ToHalfWidth(text).Trim();
        Match match = ChineseForm().Match(candidate);
        if (match.Success)
        {
            // "民國2026年" mixes two calendars; refuse rather than guess which part is wrong.
            bool hasRocPrefix = candidate.StartsWith("民國", StringComparison.Ordinal)
                || candidate.StartsWith("中華民國", StringComparison.Ordinal);
            if (hasRocPrefix && match.Groups["year"].Length == 4)
            {
                return false;
            }

            return TryCreate(match, out date);
        }

        match = NumericForm().Match(candidate);
        return match.Success && TryCreate(match, out date);
    }

    /// <summary>
    /// 中華民國115年12月1日. A date before 1912 has no ROC year: it is written 民國前N年 (民國前1年 = 1911) rather than
    /// thrown on, so a date that slipped in from anywhere is printed, never a crash of whatever prints it.
    /// </summary>
    public static string Format(DateOnly date) =>
        date.Year > RocEpochOffset
            ? string.Create(CultureInfo.InvariantCulture, $"中華民國{ToRocYear(date)}年{date.Month}月{date.Day}日")
            : string.Create(CultureInfo.InvariantCulture, $"民國前{RocEpochOffset + 1 - date.Year}年{date.Month}月{date.Day}日");

    public static string FormatShort(DateOnly date) =>
        string.Create(CultureInfo.InvariantCulture, $"{ToRocYear(date)}/{date.Month:00}/{date.Day:00}");

    public static int ToRocYear(DateOnly date)
    {
        // The Minguo calendar starts in 1912; earlier dates have no ROC year to print.
        if (date.Year <= RocEpochOffset)
        {
            throw new ArgumentOutOfRangeException(nameof(date), date, "ROC years start in 1912.");
        }

        return date.Year - RocEpochOffset;
    }

    private static bool TryCreate(Match match, out DateOnly date)
    {
        date = default;
        string yearText = match.Groups["year"].Value;
        int year = int.Parse(yearText, CultureInfo.InvariantCulture);
        int month = int.Parse(match.Groups["month"].Value, CultureInfo.InvariantCulture);
        int day = int.Parse(match.Groups["day"].Value, CultureInfo.InvariantCulture);

        if (yearText.Length < 4)
        {
            if (year == 0)
            {
                return false;
            }

            year += RocEpochOffset;
        }

        // A Gregorian year before 1912 (1911年…, or a ROC year typed with a leading zero, 0115/12/20) is no date anyone
        // means here and has no ROC year to print: it is not read as a date at all.
        if (year <= RocEpochOffset || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        date = new DateOnly(year, month, day);
        return true;
    }
}
