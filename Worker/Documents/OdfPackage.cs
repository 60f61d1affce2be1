using System.IO.Compression;
using System.Text;
using System.Xml.Linq;

namespace MailIntake.Worker.Documents;

/// <summary>
/// An OpenDocument text (.odt), the Taiwan government's document standard, written by hand rather than through a
/// library: the format needs only a zip with a stored <c>mimetype</c> first, a manifest, content and styles.
/// </summary>
internal static class OdfPackage
{
    public const string MediaType = "application/vnd.oasis.opendocument.text";

    private static readonly XNamespace Manifest = OdfNames.Manifest;

    public static byte[] Create(XElement content)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true, Encoding.UTF8))
        {
            // ODF 1.3 §3.3: readers sniff the type from an uncompressed "mimetype" as the first entry.
            Write(zip, "mimetype", Encoding.ASCII.GetBytes(MediaType), CompressionLevel.NoCompression);
            Write(zip, "META-INF/manifest.xml", Xml(ManifestXml()), CompressionLevel.Optimal);
            Write(zip, "styles.xml", Xml(OdfStyles.Document()), CompressionLevel.Optimal);
            Write(zip, "content.xml", Xml(content), CompressionLevel.Optimal);
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
}
