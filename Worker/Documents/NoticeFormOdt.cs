using System.Xml.Linq;

namespace MailIntake.Worker.Documents;

/// <summary>The fillable notice form as an OpenDocument text (.odt), the Taiwan government's document standard.</summary>
public static class NoticeFormOdt
{
    public const string MediaType = OdfPackage.MediaType;

    private static readonly XNamespace Office = OdfNames.Office;
    private static readonly XNamespace Text = OdfNames.Text;
    private static readonly XNamespace Table = OdfNames.Table;

    public static byte[] Create(NoticeForm form) => OdfPackage.Create(Content(NoticeFormText.Layout(form)));

    private static XElement Content(NoticeFormLayout layout)
    {
        var text = new XElement(Office + "text",
            Paragraph("Title", layout.Title),
            Paragraph("Heading", layout.Heading),
            FormTable(layout.Rows),
            layout.Notes.Select(note => Paragraph("Note", note)));

        return new XElement(Office + "document-content",
            OdfStyles.NamespaceDeclarations(),
            new XAttribute(Office + "version", "1.3"),
            OdfStyles.FontFaces(),
            OdfStyles.Automatic(),
            new XElement(Office + "body", text));
    }

    private static XElement FormTable(IReadOnlyList<FormRow> rows) =>
        new(Table + "table",
            new XAttribute(Table + "name", "NoticeForm"),
            new XAttribute(Table + "style-name", "Form"),
            new XElement(Table + "table-column", new XAttribute(Table + "style-name", "Form.Label")),
            new XElement(Table + "table-column", new XAttribute(Table + "style-name", "Form.Content")),
            rows.Select(Row));

    private static XElement Row(FormRow row) => row.Kind switch
    {
        FormRowKind.Section => new XElement(Table + "table-row",
            new XElement(Table + "table-cell",
                new XAttribute(Table + "style-name", "SectionCell"),
                new XAttribute(Table + "number-columns-spanned", 2),
                new XAttribute(Office + "value-type", "string"),
                Paragraph("Label", row.Label)),
            new XElement(Table + "covered-table-cell")),
        _ => new XElement(Table + "table-row",
            row.Kind == FormRowKind.Seal ? new XAttribute(Table + "style-name", "SealRow") : null,
            Cell("LabelCell", [Paragraph("Label", row.Label)]),
            Cell("ContentCell", row.Lines.Count == 0 ? [Paragraph("Standard", string.Empty)] : row.Lines.Select(line => Paragraph("Standard", line)))),
    };

    private static XElement Cell(string style, IEnumerable<XElement> paragraphs) =>
        new(Table + "table-cell",
            new XAttribute(Table + "style-name", style),
            new XAttribute(Office + "value-type", "string"),
            paragraphs);

    private static XElement Paragraph(string style, string value) =>
        new(Text + "p", new XAttribute(Text + "style-name", style), OdfText.Content(value));
}
