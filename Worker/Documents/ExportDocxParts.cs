using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Wordprocessing;

namespace MailIntake.Worker.Documents;

/// <summary>Paragraphs of the exported .docx: plain text, and lines with blanks and check boxes.</summary>
internal static class ExportDocxParts
{
    // Twips the wrapped text of a check-box option hangs in by: the box and a little gap.
    private const int OptionHang = 320;

    public static Paragraph Paragraph(
        string text, bool bold = false, int? size = null, JustificationValues? justification = null, bool pageBreakBefore = false)
    {
        var paragraph = new Paragraph();
        var properties = new ParagraphProperties();
        if (pageBreakBefore)
        {
            properties.Append(new PageBreakBefore());
        }

        if (justification is { } value)
        {
            properties.Append(new Justification { Val = value });
        }

        if (properties.HasChildren)
        {
            paragraph.Append(properties);
        }

        if (text.Length > 0)
        {
            paragraph.Append(Run(text, bold, size, underline: false));
        }

        return paragraph;
    }

    public static Paragraph Line(ExportLine line)
    {
        if (line.Ticked is not { } ticked)
        {
            var plain = new Paragraph();
            plain.Append(line.Spans.Where(span => span.Text.Length > 0).Select(span => Run(span.Text, bold: false, size: null, span.Underlined)));
            return plain;
        }

        // A hanging indent with a tab after the box keeps wrapped option text aligned under its
        // first word, as on the paper form.
        var option = new Paragraph(new ParagraphProperties(
            new Indentation { Left = ExportDocx.Twips(OptionHang), Hanging = ExportDocx.Twips(OptionHang) }));
        option.Append(new Run(new Text(ticked ? ExportLine.TickedBox : ExportLine.EmptyBox), new TabChar()));
        option.Append(line.Spans.Select(span => Run(span.Text, bold: false, size: null, span.Underlined)));
        return option;
    }

    private static Run Run(string text, bool bold, int? size, bool underline)
    {
        var properties = new RunProperties();
        if (bold)
        {
            properties.Append(new Bold());
        }

        if (underline)
        {
            properties.Append(new Underline { Val = UnderlineValues.Single });
        }

        if (size is { } halfPoints)
        {
            properties.Append(new FontSize { Val = halfPoints.ToString(CultureInfo.InvariantCulture) });
        }

        return new Run(properties, new Text(Application.PrintableText.ForDocument(text)) { Space = SpaceProcessingModeValues.Preserve });
    }
}
