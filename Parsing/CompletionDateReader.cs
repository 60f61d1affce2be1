using System.Text.RegularExpressions;

namespace MailIntake.Parsing;

/// <summary>
/// Reads the date on which the organisation says it finished the improvement items, from the
/// form's sentence 本用戶已於115年12月01日完成以下改善事項 (or the same with an ISO or slashed date).
/// </summary>
public static partial class CompletionDateReader
{
    // The date span is limited to characters that can occur in a date, so the form's own
    // placeholder "已於 XX年 XX月 XX日完成" never matches and yields null.
    [GeneratedRegex(@"已於\s*(?<date>[0-9年月日/.\-\s中華民國]+?)\s*(?:改善)?完成", RegexOptions.CultureInvariant)]
    private static partial Regex CompletedOn();

    public static DateOnly? Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        foreach (Match match in CompletedOn().Matches(FullWidth.ToHalfWidth(text)))
        {
            if (RocDate.TryParse(match.Groups["date"].Value, out DateOnly date))
            {
                return date;
            }
        }

        return null;
    }

    /// <summary>
    /// The completion date as the organisation wrote it when it wrote one that is no date (1911年12月31日, 0115/12/1,
    /// 115年13月1日), so that it can be told back as unreadable instead of being asked for as if left blank; null when
    /// a date was read or none was written (the form's own blanks have no digit).
    /// </summary>
    public static string? Unreadable(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Read(text) is not null)
        {
            return null;
        }

        return CompletedOn().Matches(FullWidth.ToHalfWidth(text))
            .Select(match => match.Groups["date"].Value.Trim())
            .FirstOrDefault(written => written.Any(char.IsAsciiDigit));
    }
}
