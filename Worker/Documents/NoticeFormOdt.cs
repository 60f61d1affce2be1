using System.IO.Compression;
using System.Text;
using System.Xml.Linq;

namespace MailIntake.Worker.Documents;

/// <summary>
/// The fillable notice form as an OpenDocument text (.odt), the Taiwan government's document
/// standard. Written by hand rather than through a library: the format needs only a zip with a
/// stored <c>mimetype</c> first, a manifest, content and styles.
/// </summary>
public static class NoticeFormOdt
{
    public const string MediaType = "application/vnd.oasis.opendocument.text";

    private static readonly XNamespace Office = OdfNames.Office;
    private static readonly XNamespace Text = OdfNames.Text;
    private static readonly XNamespace Table = OdfNames.Table;
    private static readonly XNamespace Manifest = OdfNames.Manifest;

    public static byte[] Create(NoticeForm form)
    {
        var layout = NoticeFormText.Layout(form);
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true, Encoding.UTF8))
        {
            // ODF 1.3 §3.3: readers sniff the type from an uncompressed "mimetype" as the first entry.
            Write(zip, "mimetype", Encoding.ASCII.GetBytes(MediaType), CompressionLevel.NoCompression);
            Write(zip, "META-INF/manifest.xml", Xml(ManifestXml()), CompressionLevel.Optimal);
            Write(zip, "styles.xml", Xml(OdfStyles.Document()), CompressionLevel.Optimal);
            Write(zip, "content.xml", Xml(Content(layout)), CompressionLevel.Optimal);
        }

        return stream.ToArray();
    }

    private static void Write(ZipArchive zip, string name, byte[] data, CompressionLevel level)
    {
        var entry = zip.CreateEntry(name, level);
        using var target = entry.Open();
        target.Write(data);
    }

    private static byte[] Xml(XElement root)
    {
        // UTF-8 without a byte order mark: some ODF consumers parse the entry as plain text first.
        using var buffer = new MemoryStream();
        using (var writer = System.Xml.XmlWriter.Create(buffer, new System.Xml.XmlWriterSettings { Encoding = new UTF8Encoding(false) }))
        {
            new XDocument(new XDeclaration("1.0", "UTF-8", null), root).Save(writer);
        }

        return buffer.ToArray();
    }

    private static XElement ManifestXml() =>
        new(Manifest + "manifest",
            new XAttribute(XNamespace.Xmlns + "manifest", Manifest),
            new XAttribute(Manifest + "version", "1.3"),
            FileEntry("/", MediaType, withVersion: true),
            FileEntry("content.xml", "text/xml"),
            FileEntry("styles.xml", "text/xml"));

    private static XElement FileEntry(string path, string mediaType, bool withVersion = false) =>
        new(Manifest + "file-entry",
            new XAttribute(Manifest + "full-path", path),
            withVersion ? new XAttribute(Manifest + "version", "1.3") : null,
            new XAttribute(Manifest + "media-type", mediaType));

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
