using System.Globalization;
using System.Text.RegularExpressions;

namespace MailIntake.Parsing;

/// <summary>
/// Reads the organisation's part of a returned notice form (text from FormTextExtractor or a
/// mail body): references, filler, completion date and the numbered answer to each item.
/// </summary>
public static partial class ReturnedFormReader
{
    private const string FormTitle = "限期改善單";
    private const string AnswersStart = "完成以下改善事項";

    // Numbered lines as people type them: 1. 1、 1) (1) 1．（１） — matched on the half-width
    // copy of the line, whose indexes are the original's (FullWidth maps one char to one char).
    [GeneratedRegex(@"^\s*(?:\((?<n>[0-9]{1,2})\)|(?<n>[0-9]{1,2})\s*[.、)])\s*", RegexOptions.CultureInvariant)]
    private static partial Regex NumberedLine();

    // Lines that begin the next part of the form, so the last answer does not run on into them.
    [GeneratedRegex(@"^\s*(?:佐\s*證\s*資\s*料|用\s*戶\s*[（(]?\s*組織或團體\s*[)）]?\s*印\s*信|說\s*明\s*[:：]|附件\s*[0-9０-９]\s*[　 ]*防火牆)", RegexOptions.CultureInvariant)]
    private static partial Regex NextPart();

    /// <returns>Null when the text is not our form: neither 限期改善單 nor a notice reference is in it.</returns>
    public static ReturnedForm? Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        var references = NoticeReference.FindAll(text);
        if (references.Count == 0 && !text.Contains(FormTitle, StringComparison.Ordinal))
        {
            return null;
        }

        return new ReturnedForm(references, FillerReader.Read(text), CompletionDateReader.Read(text), ItemAnswers(text), text);
    }

    /// <summary>
    /// The numbered answers after the form's 「完成以下改善事項」, wherever that sentence stands (a form or a mail body
    /// written after the form), up to the form's next part; none when the sentence is not there.
    /// </summary>
    public static IReadOnlyList<ItemAnswer> ItemAnswers(string text)
    {
        var start = text.IndexOf(AnswersStart, StringComparison.Ordinal);
        if (start < 0)
        {
            return [];
        }

        var lines = text[start..].Split(["\r\n", "\n", "\r"], StringSplitOptions.None).Skip(1);
        var answers = new SortedDictionary<int, List<string>>();
        List<string>? current = null;
        foreach (var line in lines)
        {
            if (NextPart().IsMatch(line))
            {
                break;
            }

            var number = NumberedLine().Match(FullWidth.ToHalfWidth(line));
            if (number.Success)
            {
                var item = int.Parse(number.Groups["n"].Value, CultureInfo.InvariantCulture);

                // A number seen again (a quoted earlier copy of the form) keeps the first answer.
                current = answers.TryAdd(item, []) ? answers[item] : null;
                current?.Add(line[number.Length..]);
            }
            else
            {
                current?.Add(line);
            }
        }

        return answers
            .Select(pair => new ItemAnswer(pair.Key, Join(pair.Value)))
            .Where(answer => answer.Text.Length > 0)
            .ToList();
    }

    // An answer may wrap over several lines; the blank lines the form leaves for writing are dropped.
    private static string Join(List<string> lines) =>
        string.Join("\n", lines.Select(line => line.Trim()).Where(line => line.Length > 0));
}
