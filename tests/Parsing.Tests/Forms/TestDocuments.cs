using System.IO.Compression;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace MailIntake.Parsing.Tests.Forms;

/// <summary>Small filled-in forms made in the test, in each format the extractor reads.</summary>
internal static class TestDocuments
{
    /// <summary>A .docx whose paragraphs are the given lines, the first two as a table row.</summary>
    public static byte[] Docx(params string[] lines)
    {
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var body = new Body();
            body.Append(new Table(new TableRow(
                new TableCell(Paragraph(lines[0])),
                new TableCell(Paragraph(lines[1])))));
            body.Append(lines.Skip(2).Select(Paragraph));
            document.AddMainDocumentPart().Document = new Document(body);
        }

        return stream.ToArray();

        static Paragraph Paragraph(string text) =>
            new(new Run(new Text(text) { Space = SpaceProcessingModeValues.Preserve }));
    }

    /// <summary>An .odt whose paragraphs are the given lines; XML-escaped, spaces kept as text:s.</summary>
    public static byte[] Odt(params string[] lines)
    {
        var paragraphs = string.Concat(lines.Select(line =>
            $"<text:p>{System.Security.SecurityElement.Escape(line).Replace("  ", " <text:s/>", StringComparison.Ordinal)}</text:p>"));
        return Zip(
            ("mimetype", "application/vnd.oasis.opendocument.text", CompressionLevel.NoCompression),
            ("META-INF/manifest.xml", "<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\"/>", CompressionLevel.Optimal),
            ("content.xml", OdtContent(paragraphs), CompressionLevel.Optimal));
    }

    public static string OdtContent(string bodyXml) =>
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content "
        + "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
        + "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.3\">"
        + $"<office:body><office:text>{bodyXml}</office:text></office:body></office:document-content>";

    public static byte[] Zip(params (string Name, string Content, CompressionLevel Level)[] entries)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content, level) in entries)
            {
                using var entry = zip.CreateEntry(name, level).Open();
                entry.Write(Encoding.UTF8.GetBytes(content));
            }
        }

        return stream.ToArray();
    }

    /// <summary>A PDF with one line of ASCII text per line, on as many pages as asked.</summary>
    public static byte[] Pdf(int pages, params string[] lines)
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        for (var p = 0; p < pages; p++)
        {
            var page = builder.AddPage(UglyToad.PdfPig.Content.PageSize.A4);
            for (var i = 0; i < lines.Length; i++)
            {
                page.AddText(lines[i], 11, new UglyToad.PdfPig.Core.PdfPoint(50, 780 - (i * 20)), font);
            }
        }

        return builder.Build();
    }
}
