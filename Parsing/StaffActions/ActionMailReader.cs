using System.Text;
using System.Text.RegularExpressions;
using MimeKit;
using MimeKit.Text;

namespace MailIntake.Parsing.StaffActions;

/// <summary>
/// Reads a mail a staff member sent from an action link, as Outlook and webmail deliver it: CRLF or LF or CR, lines
/// quoted with <c>&gt;</c> or inside a blockquote, full-width colons and digits, a body that is HTML only, an Outlook
/// reply header (寄件者／From … 主旨／Subject) above the quoted text, and the token moved into that quoted text.
/// </summary>
public static partial class ActionMailReader
{
    /// <summary>Labels whose value may go on over the following lines (until a blank line, another label or a rule).</summary>
    public static readonly IReadOnlySet<string> MultiLineLabels = new HashSet<string>(StringComparer.Ordinal) { "備註", "原因", "說明", "改善事項" };

    private sealed record Line(string Text, bool Quoted);

    public static ActionMail Read(MimeMessage message)
    {
        var subject = message.Subject ?? string.Empty;
        var text = message.TextBody;
        var html = message.HtmlBody;
        return Read(subject, text, html);
    }

    /// <summary>The same from the parts: <paramref name="text"/> is preferred for the fields, both are searched for tokens.</summary>
    public static ActionMail Read(string subject, string? text, string? html)
    {
        var textLines = string.IsNullOrWhiteSpace(text) ? [] : MarkReplyHeaders(TextLines(text));
        var htmlLines = string.IsNullOrWhiteSpace(html) ? [] : MarkReplyHeaders(HtmlLines(html));
        var lines = textLines.Count > 0 ? textLines : htmlLines;

        var tokens = ActionToken.FindAll(subject)
            .Concat(textLines.Concat(htmlLines).Where(line => !line.Quoted).SelectMany(line => ActionToken.FindAll(line.Text)))
            .Concat(textLines.Concat(htmlLines).Where(line => line.Quoted).SelectMany(line => ActionToken.FindAll(line.Text)))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return new ActionMail(tokens, Fields(lines));
    }

    private static List<ActionField> Fields(IReadOnlyList<Line> lines)
    {
        var fields = new List<ActionField>();
        (string Label, StringBuilder Value, bool Quoted)? open = null;
        void Close()
        {
            if (open is { } field)
            {
                fields.Add(new ActionField(field.Label, field.Value.ToString().Trim(), field.Quoted));
            }

            open = null;
        }

        foreach (var line in lines)
        {
            var match = FieldLine().Match(line.Text);
            if (match.Success && !ActionToken.FindAll(match.Groups["label"].Value).Any())
            {
                Close();
                var label = Label(match.Groups["label"].Value);
                open = (label, new StringBuilder(match.Groups["value"].Value.Trim()), line.Quoted);
                if (!MultiLineLabels.Contains(label))
                {
                    Close();
                }

                continue;
            }

            if (open is { } continuing && continuing.Quoted == line.Quoted && !string.IsNullOrWhiteSpace(line.Text)
                && !Rule().IsMatch(line.Text) && !ActionToken.FindAll(line.Text).Any())
            {
                if (continuing.Value.Length > 0)
                {
                    continuing.Value.Append('\n');
                }

                continuing.Value.Append(line.Text.Trim());
                continue;
            }

            Close();
        }

        Close();
        return fields;
    }

    /// <summary>A label as compared: full-width folded, no spaces of any width.</summary>
    private static string Label(string raw) =>
        string.Concat(FullWidth.ToHalfWidth(raw).Where(c => !char.IsWhiteSpace(c)));

    private static List<Line> TextLines(string text)
    {
        var lines = new List<Line>();
        foreach (var raw in text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n'))
        {
            var (unquoted, depth) = Unquote(raw);
            lines.Add(new Line(unquoted, depth > 0));
        }

        return lines;
    }

    /// <summary>Strips leading <c>&gt;</c> quote marks (with or without spaces between, full-width too) and returns how many there were.</summary>
    private static (string Text, int Depth) Unquote(string line)
    {
        var text = line.Replace('\u00A0', ' ');
        var depth = 0;
        while (true)
        {
            var trimmed = text.TrimStart();
            if (trimmed.Length > 0 && trimmed[0] is '>' or '＞' or '|')
            {
                depth++;
                text = trimmed[1..];
                continue;
            }

            return (trimmed.TrimEnd(), depth);
        }
    }

    /// <summary>
    /// HTML to lines where blocks end; text inside a blockquote is quoted. The boundary between two blocks
    /// (<c>&lt;/p&gt;&lt;p&gt;</c>) is one line break, not a blank line: Outlook writes every line as its own paragraph, and
    /// a blank line would end a multi-line value. A block holding only <c>&amp;nbsp;</c>, or a second <c>&lt;br&gt;</c>, is a blank line.
    /// </summary>
    private static List<Line> HtmlLines(string html)
    {
        var lines = new List<Line>();
        var current = new StringBuilder();
        var quoteDepth = 0;
        var quotedLine = false;
        var skipping = 0;
        var written = false;
        void Break(bool always = false)
        {
            if (written || always)
            {
                var (text, depth) = Unquote(current.ToString());
                lines.Add(new Line(text, quotedLine || depth > 0));
            }

            current.Clear();
            written = false;
            quotedLine = quoteDepth > 0;
        }

        using var reader = new StringReader(html);
        var tokenizer = new HtmlTokenizer(reader);
        while (tokenizer.ReadNextToken(out var token))
        {
            switch (token)
            {
                case HtmlTagToken tag when tag.Name is "script" or "style" or "head" or "title":
                    skipping = Math.Max(0, skipping + (tag.IsEndTag ? -1 : tag.IsEmptyElement ? 0 : 1));
                    break;
                case HtmlTagToken tag when tag.Name == "blockquote":
                    Break();
                    quoteDepth = Math.Max(0, quoteDepth + (tag.IsEndTag ? -1 : 1));
                    quotedLine = quoteDepth > 0;
                    break;
                case HtmlTagToken tag when tag.Name == "br":
                    Break(always: true);
                    break;
                case HtmlTagToken tag when tag.Name is "p" or "div" or "tr" or "li" or "table" or "hr" or "h1" or "h2" or "h3" or "h4" or "h5" or "h6":
                    Break();
                    break;
                case HtmlTagToken tag when tag.Name is "td" or "th" && !tag.IsEndTag:
                    current.Append(' ');
                    break;
                case HtmlDataToken data when skipping == 0:
                    // Newlines inside HTML text are only source formatting.
                    current.Append(data.Data.Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal));
                    written |= data.Data.Any(c => c == '\u00A0' || !char.IsWhiteSpace(c));
                    if (quoteDepth > 0)
                    {
                        quotedLine = true;
                    }

                    break;
            }
        }

        Break();
        return lines;
    }

    /// <summary>
    /// Outlook and most webmail put the original below a separator or a header block (寄件者／From, 寄件日期／Sent,
    /// 主旨／Subject) without any quote mark: everything from there on is quoted text.
    /// </summary>
    private static List<Line> MarkReplyHeaders(List<Line> lines)
    {
        var start = -1;
        for (var i = 0; i < lines.Count && start < 0; i++)
        {
            var text = FullWidth.ToHalfWidth(lines[i].Text);
            if (OriginalSeparator().IsMatch(text) || WroteLine().IsMatch(text))
            {
                start = i;
            }
            else if (HeaderFrom().IsMatch(text) && lines.Skip(i + 1).Take(5).Any(next => HeaderSubject().IsMatch(FullWidth.ToHalfWidth(next.Text))))
            {
                start = i;
            }
        }

        return start < 0 ? lines : lines.Select((line, index) => index >= start ? line with { Quoted = true } : line).ToList();
    }

    [GeneratedRegex(@"^\s*(?<label>[^:：\s][^:：]{0,11}?)\s*[:：]\s*(?<value>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex FieldLine();

    /// <summary>A line of dashes, underscores, box-drawing or em dashes (our own "以下請勿修改" rule included).</summary>
    [GeneratedRegex(@"^\s*[-_=—─━－]{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex Rule();

    [GeneratedRegex(@"^\s*(-{2,}\s*(Original Message|原始郵件|原始訊息|原始邮件)\s*-{2,}|_{10,})\s*$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex OriginalSeparator();

    [GeneratedRegex(@"^\s*(On .+ wrote:|.+寫道[:：]?|.+写道[:：]?)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex WroteLine();

    [GeneratedRegex(@"^\s*\*?(寄件者|From)\*?\s*:", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex HeaderFrom();

    [GeneratedRegex(@"^\s*\*?(主旨|Subject)\*?\s*:", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex HeaderSubject();
}
