using System.Net;
using System.Text;

namespace MailIntake.Worker.Documents;

/// <summary>
/// The notice and its tracking evaluation form as one printable HTML page (A4), for a browser's
/// print dialog. Table borders are set as attributes as well as CSS because LibreOffice's HTML
/// import, used to file the page as PDF, reads the attributes and ignores most CSS.
/// </summary>
public static class NoticeExportHtml
{
    private const string Css = """
        @page { size: A4; margin: 2cm; }
        body { font-family: "Noto Sans CJK TC", "Microsoft JhengHei", "PingFang TC", sans-serif; font-size: 10.5pt; line-height: 1.45; color: #000; }
        @media screen { body { max-width: 17cm; margin: 1cm auto; } }
        h1 { font-size: 16pt; text-align: center; margin: 0; }
        .page + .page h1:first-child { break-before: page; page-break-before: always; }
        p { margin: 0; }
        p.heading { text-align: right; margin: 4pt 0; }
        table.form { width: 100%; border-collapse: collapse; table-layout: fixed; }
        table.form td { border: 1px solid #000; padding: 3pt 5pt; vertical-align: top; }
        table.form td.section { background: #d9d9d9; font-weight: bold; text-align: center; }
        table.form td.label { background: #f2f2f2; font-weight: bold; text-align: center; vertical-align: middle; }
        p.option { margin-left: 1.5em; text-indent: -1.5em; }
        .blank { text-decoration: underline; }
        .notes { font-size: 9pt; margin-top: 6pt; }
        """;

    public static string Create(NoticeExport export)
    {
        ArgumentNullException.ThrowIfNull(export);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"zh-Hant-TW\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.Append("<title>").Append(Encode($"{NoticeFormText.Title} {export.Notice.Reference}")).Append("</title>\n");
        html.Append("<style>\n").Append(Css).Append("\n</style>\n</head>\n<body>\n");
        Page(html, NoticeExportText.Page(export), breakBefore: false);
        Page(html, TrackingFormText.Page(export), breakBefore: true);
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static void Page(StringBuilder html, ExportPage page, bool breakBefore)
    {
        html.Append("<div class=\"page\">\n");
        html.Append(breakBefore ? "<h1 style=\"page-break-before: always\">" : "<h1>").Append(Encode(page.Title));
        if (page.Subtitle is not null)
        {
            html.Append("<br>").Append(Encode(page.Subtitle));
        }

        html.Append("</h1>\n<p class=\"heading\" align=\"right\">").Append(Encode(page.Heading)).Append("</p>\n");
        html.Append("<table class=\"form\" border=\"1\" cellspacing=\"0\" cellpadding=\"5\" width=\"100%\">\n");
        html.Append("<colgroup><col width=\"22%\"><col width=\"28%\"><col width=\"22%\"><col width=\"28%\"></colgroup>\n");
        foreach (var row in page.Rows)
        {
            Row(html, row);
        }

        html.Append("</table>\n");
        if (page.Notes.Count > 0)
        {
            html.Append("<div class=\"notes\">\n");
            foreach (var note in page.Notes)
            {
                html.Append("<p style=\"margin: 0\">").Append(Encode(note)).Append("</p>\n");
            }

            html.Append("</div>\n");
        }

        html.Append("</div>\n");
    }

    private static void Row(StringBuilder html, ExportRow row)
    {
        html.Append("<tr>");
        switch (row)
        {
            case ExportSection section:
                html.Append("<td class=\"section\" colspan=\"4\" align=\"center\" bgcolor=\"#d9d9d9\"><b>").Append(Encode(section.Text)).Append("</b></td>");
                break;
            case ExportField field:
                Label(html, field.Label);
                html.Append("<td colspan=\"3\">");
                foreach (var line in field.Lines)
                {
                    Line(html, line);
                }

                html.Append("</td>");
                break;
            case ExportPair pair:
                Label(html, pair.Label);
                html.Append("<td>").Append(Encode(pair.Value)).Append("</td>");
                Label(html, pair.SecondLabel);
                html.Append("<td>").Append(Encode(pair.SecondValue)).Append("</td>");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(row), row, "Unknown row kind.");
        }

        html.Append("</tr>\n");
    }

    private static void Label(StringBuilder html, string label) =>
        html.Append("<td class=\"label\" align=\"center\" valign=\"middle\" bgcolor=\"#f2f2f2\"><b>")
            .AppendJoin("<br>", label.Split('\n').Select(Encode))
            .Append("</b></td>");

    private static void Line(StringBuilder html, ExportLine line)
    {
        // The margin is inline as well as in the stylesheet: LibreOffice's HTML import ignores the
        // stylesheet's and would put a gap under every line of the form.
        html.Append(line.Ticked is null ? "<p style=\"margin: 0\">" : "<p class=\"option\" style=\"margin: 0 0 0 1.5em; text-indent: -1.5em\">");
        if (line.Ticked is { } ticked)
        {
            html.Append(ticked ? ExportLine.TickedBox : ExportLine.EmptyBox).Append(' ');
        }

        foreach (var span in line.Spans)
        {
            html.Append(span.Underlined ? "<u class=\"blank\">" : string.Empty)
                .Append(Encode(span.Text))
                .Append(span.Underlined ? "</u>" : string.Empty);
        }

        // An empty paragraph collapses in HTML; a no-break space keeps the form's blank line.
        html.Append(line.Text.Length == 0 ? "&nbsp;" : string.Empty).Append("</p>\n");
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(Application.PrintableText.ForDocument(text));
}
