using System.Xml.Linq;

namespace MailIntake.Worker.Documents;

/// <summary>
/// Writes export pages into one OpenDocument text, each page after a page break: the same pages, words, ticks and
/// underlined blanks as <see cref="ExportDocx"/>, for offices that file in ODF.
/// </summary>
internal static class ExportOdt
{
    private static readonly XNamespace Office = OdfNames.Office;
    private static readonly XNamespace Text = OdfNames.Text;
    private static readonly XNamespace Table = OdfNames.Table;

    public static byte[] Create(IReadOnlyList<ExportPage> pages) =>
        OdfPackage.Create(new XElement(Office + "document-content",
            OdfStyles.NamespaceDeclarations(),
            new XAttribute(Office + "version", "1.3"),
            OdfStyles.FontFaces(),
            OdfStyles.Automatic(OdfStyles.Export()),
            new XElement(Office + "body", new XElement(Office + "text", pages.SelectMany((page, index) => Page(page, index))))));

    private static IEnumerable<XElement> Page(ExportPage page, int index)
    {
        yield return Paragraph(index == 0 ? "Title" : "TitleOnNewPage", page.Title);
        if (page.Subtitle is not null)
        {
            yield return Paragraph("Title", page.Subtitle);
        }

        yield return Paragraph("Heading", page.Heading);
        yield return new XElement(Table + "table",
            new XAttribute(Table + "name", $"Page{index + 1}"),
            new XAttribute(Table + "style-name", "Export"),
            Column("Export.Label"), Column("Export.Value"), Column("Export.Label"), Column("Export.Value"),
            page.Rows.Select(Row));
        foreach (var note in page.Notes)
        {
            yield return Paragraph("Note", note);
        }
    }

    private static XElement Column(string style) => new(Table + "table-column", new XAttribute(Table + "style-name", style));

    private static XElement Row(ExportRow row) => row switch
    {
        ExportSection section => new XElement(Table + "table-row",
            Cell("SectionCell", span: 4, Paragraph("Label", section.Text)),
            Covered(3)),
        ExportField field => new XElement(Table + "table-row",
            Label(field.Label),
            Cell("ContentCell", span: 3, field.Lines.Count == 0 ? [Paragraph("Standard", string.Empty)] : field.Lines.Select(Line).ToArray()),
            Covered(2)),
        ExportPair pair => new XElement(Table + "table-row",
            Label(pair.Label),
            Cell("ContentCell", span: 1, Paragraph("Value", pair.Value)),
            Label(pair.SecondLabel),
            Cell("ContentCell", span: 1, Paragraph("Value", pair.SecondValue))),
        _ => throw new ArgumentOutOfRangeException(nameof(row), row, "Unknown row kind."),
    };

    private static XElement Label(string label) =>
        Cell("LabelCell", span: 1, label.Split('\n').Select(line => Paragraph("Label", line)).ToArray());

    private static XElement Cell(string style, int span, params XElement[] paragraphs) =>
        new(Table + "table-cell",
            new XAttribute(Table + "style-name", style),
            span > 1 ? new XAttribute(Table + "number-columns-spanned", span) : null,
            new XAttribute(Office + "value-type", "string"),
            paragraphs);

    private static IEnumerable<XElement> Covered(int count) =>
        Enumerable.Range(0, count).Select(_ => new XElement(Table + "covered-table-cell"));

    private static XElement Line(ExportLine line)
    {
        var box = line.Ticked is { } ticked ? (ticked ? ExportLine.TickedBox : ExportLine.EmptyBox) + " " : string.Empty;
        return new XElement(Text + "p",
            new XAttribute(Text + "style-name", line.Ticked is null ? "Standard" : "Option"),
            OdfText.Content(box),
            line.Spans.Select(span => span.Underlined
                ? new XElement(Text + "span", new XAttribute(Text + "style-name", "Blank"), OdfText.Content(span.Text))
                : (object)OdfText.Content(span.Text)));
    }

    private static XElement Paragraph(string style, string value) =>
        new(Text + "p", new XAttribute(Text + "style-name", style), OdfText.Content(value));
}
