using System.Text.RegularExpressions;

namespace MailIntake.Parsing;

/// <summary>
/// Finds the filler (填寫人) in a reply: either the form's row "姓名/電話/郵件信箱" with the
/// answer after it, a "填寫人：…" style line, or separately labelled 姓名/電話/E-mail lines.
/// </summary>
public static partial class FillerReader
{
    private const int MaxNameLength = 50;

    // 填表人員 and 聯絡人與聯絡方式 occur in the form's instructions, so a label only counts when
    // a colon, the column header or the end of the line follows it.
    [GeneratedRegex(
        @"(?:填\s*寫\s*人|填\s*表\s*人|聯\s*絡\s*人)\s*(?::|(?=姓名\s*/)|$)",
        RegexOptions.CultureInvariant)]
    private static partial Regex FillerLabel();

    // The centre's own contact row reads 服務單位/姓名/電話/電子郵件信箱; it is not the filler.
    [GeneratedRegex(
        @"(?<!服務單位\s*/\s*)姓名\s*/\s*電話\s*/\s*(?:郵件信箱|電子郵件(?:信箱)?|e-?mail)",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ColumnHeader();

    [GeneratedRegex(
        @"(?:(?<name>姓\s*名)|(?<phone>(?:聯絡|連絡)?電\s*話|手\s*機|行動電話)|(?<email>e-?mail|電子郵件(?:信箱)?|郵件信箱|電子信箱))\s*:",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex FieldLabel();

    [GeneratedRegex(
        @"(?<![0-9])(?:09[0-9]{2}[-\s]?[0-9]{3}[-\s]?[0-9]{3}|\(0[2-8][0-9]{0,2}\)\s*[0-9]{3,4}[-\s]?[0-9]{3,4}|0[2-8][0-9]{0,2}[-\s][0-9]{3,4}[-\s]?[0-9]{3,4}|0[2-8][0-9]{7,8})(?:\s*(?:轉|分機|#|ext\.?|x)\s*[0-9]{1,6})?(?![0-9])",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Phone();

    [GeneratedRegex(
        @"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}",
        RegexOptions.CultureInvariant)]
    private static partial Regex Email();

    [GeneratedRegex(@"[/、,，;；|]", RegexOptions.CultureInvariant)]
    private static partial Regex Separator();

    [GeneratedRegex(@"(?<=\p{IsCJKUnifiedIdeographs})\s+(?=\p{IsCJKUnifiedIdeographs})", RegexOptions.CultureInvariant)]
    private static partial Regex SpaceBetweenIdeographs();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Whitespace();

    // The paper form's example filler is "李 OO": a surname followed by O's, ○ or x's.
    [GeneratedRegex(@"^\p{IsCJKUnifiedIdeographs}?[Oo○〇◯Xx*]+$", RegexOptions.CultureInvariant)]
    private static partial Regex PlaceholderName();

    public static Filler? Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        string[] lines = FullWidth.ToHalfWidth(text)
            .Split(["\r\n", "\n", "\r"], StringSplitOptions.None)
            .Where(line => !line.TrimStart().StartsWith('>'))
            .ToArray();

        Filler? fromForm = ReadFormRow(lines);
        Filler fromFields = ReadLabelledFields(lines);

        var filler = new Filler(
            fromForm?.Name ?? fromFields.Name,
            fromForm?.Phone ?? fromFields.Phone,
            fromForm?.Email ?? fromFields.Email);

        return filler is { Name: null, Phone: null, Email: null } ? null : filler;
    }

    private static Filler? ReadFormRow(string[] lines)
    {
        for (int i = 0; i < lines.Length; i++)
        {
            int contentStart = EndOfFillerMarkers(lines[i]);
            if (contentStart < 0)
            {
                continue;
            }

            string content = lines[i][contentStart..];
            if (IsBlank(content))
            {
                content = NextNonBlankLine(lines, i) ?? string.Empty;
            }

            Candidate candidate = ParseContent(content);

            // The unfilled example row still carries a plausible phone (06-12345678); taking it
            // alone would record the form's sample as the organisation's contact.
            if (candidate.IsTemplate)
            {
                continue;
            }

            if (candidate.Filler is not { Name: null, Phone: null, Email: null })
            {
                return candidate.Filler;
            }
        }

        return null;
    }

    private static int EndOfFillerMarkers(string line)
    {
        int end = -1;
        foreach (Match match in FillerLabel().Matches(line))
        {
            end = Math.Max(end, match.Index + match.Length);
        }

        foreach (Match match in ColumnHeader().Matches(line))
        {
            end = Math.Max(end, match.Index + match.Length);
        }

        return end;
    }

    private static Filler ReadLabelledFields(string[] lines)
    {
        string? name = null;
        string? phone = null;
        string? email = null;

        foreach (string line in lines)
        {
            MatchCollection labels = FieldLabel().Matches(line);
            for (int k = 0; k < labels.Count; k++)
            {
                int valueStart = labels[k].Index + labels[k].Length;
                int valueEnd = k + 1 < labels.Count ? labels[k + 1].Index : line.Length;
                string value = line[valueStart..valueEnd];

                if (labels[k].Groups["name"].Success)
                {
                    name ??= ParseContent(value).Filler.Name;
                }
                else if (labels[k].Groups["phone"].Success)
                {
                    phone ??= FirstMatch(Phone(), value);
                }
                else
                {
                    email ??= FirstMatch(Email(), value);
                }
            }
        }

        return new Filler(name, phone, email);
    }

    private static Candidate ParseContent(string content)
    {
        string? email = FirstMatch(Email(), content);
        string? phone = FirstMatch(Phone(), content);

        string rest = Email().Replace(content, " ");
        rest = Phone().Replace(rest, " ");
        rest = FieldLabel().Replace(rest, " ");

        bool maskedEmail = false;
        string? name = null;
        foreach (string piece in Separator().Split(rest))
        {
            if (piece.Contains('@') || piece.Contains('*'))
            {
                maskedEmail |= piece.Contains('*');
                continue;
            }

            if (name is null && !IsBlank(piece))
            {
                name = piece;
            }
        }

        name = name is null ? null : CleanName(name);
        bool placeholderName = name is not null && PlaceholderName().IsMatch(Whitespace().Replace(name, string.Empty));
        if (placeholderName)
        {
            name = null;
        }

        bool isTemplate = (placeholderName || maskedEmail) && name is null && email is null;
        return new Candidate(new Filler(name, phone, email), isTemplate);
    }

    private static string? CleanName(string raw)
    {
        string name = SpaceBetweenIdeographs().Replace(raw.Trim(), string.Empty);
        name = Whitespace().Replace(name, " ").Trim(' ', ':');
        return name.Length is 0 or > MaxNameLength ? null : name;
    }

    private static string? NextNonBlankLine(string[] lines, int index)
    {
        for (int i = index + 1; i < lines.Length; i++)
        {
            if (!IsBlank(lines[i]))
            {
                return lines[i];
            }
        }

        return null;
    }

    private static bool IsBlank(string text) => string.IsNullOrWhiteSpace(text.Trim(':', ' ', '\t'));

    private static string? FirstMatch(Regex regex, string text)
    {
        Match match = regex.Match(text);
        return match.Success ? match.Value.Trim() : null;
    }

    private readonly record struct Candidate(Filler Filler, bool IsTemplate);
}
