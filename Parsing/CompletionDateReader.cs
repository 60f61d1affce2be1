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
}
