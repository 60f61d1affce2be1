using System.Globalization;
using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Xml;

namespace MailIntake.Parsing;

/// <summary>The body text of an OpenDocument text (.odt): one paragraph or heading a line.</summary>
internal static partial class OdtText
{
    private const string TextNs = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
    private const string OfficeNs = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";

    // text:c is written by the sender; a huge count would turn a few bytes into gigabytes of spaces.
    private const int MaxSpacesPerElement = 1000;

    [GeneratedRegex(@"[ \t\r\n]+", RegexOptions.CultureInvariant)]
    private static partial Regex XmlWhitespace();

    public static string? Read(ZipArchive zip)
    {
        var entry = ZipXml.Entry(zip, "content.xml");
        if (entry is null)
        {
            return null;
        }

        var text = new TextBuffer();
        var paragraphDepth = 0;
        using var reader = ZipXml.Open(entry);
        while (reader.Read())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element when reader is { LocalName: "annotation", NamespaceURI: OfficeNs }:
                    reader.Skip();
                    break;
                case XmlNodeType.Element when reader.NamespaceURI == TextNs:
                    paragraphDepth += Element(reader, text);
                    break;
                case XmlNodeType.EndElement when IsParagraph(reader):
                    paragraphDepth--;
                    text.EndLine();
                    break;
                case XmlNodeType.Text or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace when paragraphDepth > 0:
                    // ODF 1.3 §6.1.2: white space in paragraphs collapses; real spaces are text:s.
                    text.Append(XmlWhitespace().Replace(reader.Value, " "));
                    break;
            }
        }

        return text.ToText();
    }

    private static bool IsParagraph(XmlReader reader) => reader is { LocalName: "p" or "h", NamespaceURI: TextNs };

    /// <returns>1 when a paragraph with content opens, else 0.</returns>
    private static int Element(XmlReader reader, TextBuffer text)
    {
        switch (reader.LocalName)
        {
            case "p" or "h" when reader.IsEmptyElement:
                text.EndLine();
                return 0;
            case "p" or "h":
                return 1;
            case "s":
                var count = int.TryParse(reader.GetAttribute("c", TextNs), NumberStyles.None, CultureInfo.InvariantCulture, out var c) ? c : 1;
                text.Append(' ', Math.Clamp(count, 1, MaxSpacesPerElement));
                return 0;
            case "tab":
                text.Append('\t');
                return 0;
            case "line-break":
                text.EndLine();
                return 0;
            default:
                return 0;
        }
    }
}
