using System.IO.Compression;
using System.Xml;

namespace MailIntake.Parsing;

/// <summary>Opens one XML entry of a zip package (docx, odt) under the decompression limit.</summary>
internal static class ZipXml
{
    public static ZipArchiveEntry? Entry(ZipArchive zip, string name)
    {
        var entry = zip.GetEntry(name);

        // The declared size is checked first only to fail fast; LimitedReadStream enforces it.
        return entry is not null && entry.Length > FormLimits.MaxDecompressedBytes
            ? throw new FormLimitExceededException($"{name} declares {entry.Length} bytes.")
            : entry;
    }

    public static XmlReader Open(ZipArchiveEntry entry) =>
        XmlReader.Create(new LimitedReadStream(entry.Open(), FormLimits.MaxDecompressedBytes), new XmlReaderSettings
        {
            // No DTDs, no external resources: no entity expansion and no fetching on our behalf.
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            CloseInput = true,
        });
}
