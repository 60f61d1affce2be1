using System.Text;
using MimeKit.Text;

namespace MailIntake.Parsing;

/// <summary>Plain text of an HTML body, line breaks kept where blocks end, so line-based readers (filler, dates) work on webmail replies.</summary>
public static class HtmlText
{
    private static readonly HashSet<string> BreakingTags = new(StringComparer.OrdinalIgnoreCase)
    {
        "br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote",
    };

    public static string ToPlainText(string html)
    {
        var text = new StringBuilder(html.Length / 2);
        using var reader = new StringReader(html);
        var tokenizer = new HtmlTokenizer(reader);
        var skipping = 0;
        while (tokenizer.ReadNextToken(out var token))
        {
            switch (token)
            {
                case HtmlTagToken tag when tag.Name is "script" or "style" or "head":
                    skipping += tag.IsEndTag ? -1 : tag.IsEmptyElement ? 0 : 1;
                    skipping = Math.Max(skipping, 0);
                    break;
                case HtmlTagToken tag when BreakingTags.Contains(tag.Name):
                    text.Append('\n');
                    break;
                case HtmlTagToken tag when tag.Name is "td" or "th" && !tag.IsEndTag:
                    text.Append(' ');
                    break;
                case HtmlDataToken data when skipping == 0:
                    text.Append(data.Data);
                    break;
            }
        }

        return text.ToString();
    }
}
