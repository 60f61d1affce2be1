using System.Globalization;
using System.Text.RegularExpressions;

namespace MailIntake.Parsing;

/// <summary>
/// The notice reference staff and organisations quote: <c>TN-115-0001</c> (ROC year, sequence).
/// Found in text written by people, so dashes may be missing or full-width and case may differ.
/// </summary>
public static partial class NoticeReference
{
    public static string Prefix(int rocYear) => string.Create(CultureInfo.InvariantCulture, $"TN-{rocYear:D3}-");

    public static string Format(int rocYear, int sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"TN-{rocYear:D3}-{sequence:D4}");

    /// <summary>Every well-formed reference in the text, normalised to the canonical form, in order of appearance.</summary>
    public static IReadOnlyList<string> FindAll(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        var normalised = FullWidth.ToHalfWidth(text);
        return ReferencePattern().Matches(normalised)
            .Select(Of)
            .Distinct()
            .ToList();
    }

    /// <summary>
    /// The reference a person typed as a value of its own (a command's argument): the whole text, trimmed, must be one
    /// reference — <c>TN-115-0003,TN-115-0002</c> or <c>TN-115-0001x</c> is no reference (null), never the first one in it.
    /// </summary>
    public static string? Whole(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var match = WholePattern().Match(FullWidth.ToHalfWidth(text.Trim()));
        return match.Success ? Of(match) : null;
    }

    private static string Of(Match match) => Format(
        int.Parse(match.Groups["year"].Value, CultureInfo.InvariantCulture),
        int.Parse(match.Groups["seq"].Value, CultureInfo.InvariantCulture));

    private const string Body = @"TN[\s\-‐–—_]?(?<year>\d{3})[\s\-‐–—_]?(?<seq>\d{4,6})";

    [GeneratedRegex(@"(?<![A-Za-z0-9])" + Body + @"(?!\d)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ReferencePattern();

    [GeneratedRegex(@"\A" + Body + @"\z", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WholePattern();
}
