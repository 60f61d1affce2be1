using System.IO.Compression;
using System.Text;
using System.Xml.Linq;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace MailIntake.Worker.Tests.Documents;

/// <summary>Does what an organisation does in Word or LibreOffice: replaces blank lines with its answers.</summary>
internal static class FormFiller
{
    private static readonly XNamespace Text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";

    public static byte[] FillDocx(byte[] docx, IReadOnlyDictionary<string, string> replacements)
    {
        using var stream = new MemoryStream();
        stream.Write(docx);
        using (var document = WordprocessingDocument.Open(stream, isEditable: true))
        {
            var body = document.MainDocumentPart!.Document!.Body!;
            foreach (var (blank, filled) in replacements)
            {
                var paragraph = body.Descendants<Paragraph>().First(p => p.InnerText == blank);
                paragraph.RemoveAllChildren<Run>();
                paragraph.Append(new Run(new Text(filled) { Space = SpaceProcessingModeValues.Preserve }));
            }
        }

        return stream.ToArray();
    }

    public static byte[] FillOdt(byte[] odt, IReadOnlyDictionary<string, string> replacements)
    {
        using var input = new ZipArchive(new MemoryStream(odt), ZipArchiveMode.Read);
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in input.Entries)
            {
                using var source = entry.Open();
                var data = ReadAll(source);
                if (entry.FullName == "content.xml")
                {
                    data = Replace(data, replacements);
                }

                using var target = zip.CreateEntry(entry.FullName, entry.FullName == "mimetype" ? CompressionLevel.NoCompression : CompressionLevel.Optimal).Open();
                target.Write(data);
            }
        }

        return output.ToArray();
    }

    private static byte[] Replace(byte[] content, IReadOnlyDictionary<string, string> replacements)
    {
        var document = XDocument.Parse(Encoding.UTF8.GetString(content));
        foreach (var (blank, filled) in replacements)
        {
            var paragraph = document.Descendants(Text + "p").First(p => p.Value == blank);
            paragraph.ReplaceNodes(filled);
        }

        return Encoding.UTF8.GetBytes(document.ToString(SaveOptions.DisableFormatting));
    }

    private static byte[] ReadAll(Stream stream)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
