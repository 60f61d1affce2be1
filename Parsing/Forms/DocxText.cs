using System.IO.Compression;
using System.Xml;

namespace MailIntake.Parsing;

/// <summary>The body text of a .docx: one paragraph a line, table cells each on their own lines.</summary>
internal static class DocxText
{
    private const string W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    private const string MarkupCompatibility = "http://schemas.openxmlformats.org/markup-compatibility/2006";

    public static string? Read(ZipArchive zip)
    {
        var entry = ZipXml.Entry(zip, "word/document.xml");
        if (entry is null)
        {
            return null;
        }

        var text = new TextBuffer();
        using var reader = ZipXml.Open(entry);
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.EndElement && reader is { LocalName: "p", NamespaceURI: W })
            {
                text.EndLine();
            }
            else if (reader.NodeType == XmlNodeType.Element)
            {
                Element(reader, text);
            }
        }

        return text.ToText();
    }

    private static void Element(XmlReader reader, TextBuffer text)
    {
        // Text boxes are written twice (mc:Choice and the mc:Fallback for old Word); read one.
        if (reader is { LocalName: "Fallback", NamespaceURI: MarkupCompatibility })
        {
            reader.Skip();
            return;
        }

        if (reader.NamespaceURI != W)
        {
            return;
        }

        switch (reader.LocalName)
        {
            // Only w:t: w:delText (tracked deletions) and w:instrText (field codes) are not what the reader sees.
            case "t" when !reader.IsEmptyElement:
                text.Append(reader.ReadElementContentAsString());
                break;
            case "tab":
                text.Append('\t');
                break;
            case "br" or "cr":
                text.EndLine();
                break;
            case "noBreakHyphen":
                text.Append('-');
                break;
        }
    }
}
