using System.Net;
using System.Text.RegularExpressions;

namespace MailIntake.Worker.Tests.Documents;

/// <summary>
/// Reads an export the way a person does: the words without markup or spaces, and the part of
/// the tracking form that belongs to one follow-up round.
/// </summary>
internal static partial class ExportText
{
    private static readonly string[] RoundLabels = ["第一次追蹤結果", "第二次追蹤結果", "第三次追蹤結果", "說明："];

    [GeneratedRegex("<style.*?</style>|<[^>]+>", RegexOptions.Singleline)]
    private static partial Regex Markup();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    public static string OfHtml(string html) =>
        Whitespace().Replace(WebUtility.HtmlDecode(Markup().Replace(html, string.Empty)), string.Empty);

    public static string OfDocx(byte[] docx)
    {
        using var document = DocumentFormat.OpenXml.Packaging.WordprocessingDocument.Open(new MemoryStream(docx), isEditable: false);
        return Whitespace().Replace(document.MainDocumentPart!.Document!.Body!.InnerText, string.Empty);
    }

    /// <summary>
    /// The letters of round <paramref name="round"/>, from its label to the next round's (or the
    /// notes after the third), tracker and date row included. Works on any of the letter forms
    /// above and on PDF letters.
    /// </summary>
    public static string Round(string letters, int round)
    {
        var start = letters.LastIndexOf(RoundLabels[round - 1], StringComparison.Ordinal);
        Assert.True(start >= 0, $"{RoundLabels[round - 1]} is missing.");
        var end = letters.IndexOf(RoundLabels[round], start, StringComparison.Ordinal);
        Assert.True(end > start, $"{RoundLabels[round]} does not follow {RoundLabels[round - 1]}.");
        return letters[start..end];
    }

    public static int Boxes(string letters) => letters.Count(letter => letter is '□' or '■');
}
