using System.IO.Compression;
using System.Text;
using System.Xml;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Exceptions;
using UglyToad.PdfPig.Fonts;

namespace MailIntake.Parsing;

/// <summary>
/// The text of a returned form attached as .docx, .odt or a PDF with a text layer, for
/// <see cref="ReturnedFormReader"/>. Attachments come from strangers: every limit in
/// <see cref="FormLimits"/> holds, and a file that is corrupt or too big yields null, never an exception.
/// </summary>
public static class FormTextExtractor
{
    private enum Kind
    {
        Unknown,
        Docx,
        Odt,
        Pdf,
    }

    private const string OdtMediaType = "application/vnd.oasis.opendocument.text";

    public static string? ExtractText(string? fileName, Stream content)
    {
        ArgumentNullException.ThrowIfNull(content);

        var data = ReadAtMost(content, FormLimits.MaxInputBytes);
        if (data is null)
        {
            return null;
        }

        try
        {
            return (ByExtension(fileName) is var kind && kind != Kind.Unknown ? kind : Sniff(data)) switch
            {
                Kind.Docx => ReadZip(data, DocxText.Read),
                Kind.Odt => ReadZip(data, OdtText.Read),
                Kind.Pdf => IsPdf(data) ? ReadPdf(data) : null,
                _ => null,
            };
        }
        catch (Exception exception) when (IsBadInput(exception))
        {
            // Null is the answer for a file we cannot or will not read; the caller keeps the
            // attachment as evidence either way, so nothing is lost.
            return null;
        }
    }

    private static bool IsBadInput(Exception exception) => exception
        is FormLimitExceededException
        or InvalidDataException            // corrupt zip or deflate data
        or XmlException                    // malformed or DTD-bearing XML
        or PdfDocumentFormatException      // PdfPig: not a readable PDF
        or PdfDocumentEncryptedException   // PdfPig: password protected
        or InvalidFontFormatException      // PdfPig: broken embedded font
        or CorruptCompressedDataException  // PdfPig: broken font data
        or InvalidOperationException;      // PdfPig: inconsistent object graph

    /// <summary>
    /// PdfPig is a large parser of a format made for tampering: even in lenient mode a damaged file makes its
    /// internals throw what they hit (IndexOutOfRangeException, InvalidCastException … found by the fuzzer in
    /// tests/Parsing.Tests/Fuzz). Any of it means "a PDF we cannot read", so null, as for every unreadable form;
    /// the attachment is still kept as evidence.
    /// </summary>
    private static string? ReadPdf(byte[] data)
    {
        try
        {
            return PdfText.Read(data);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            return null;
        }
    }

    private static string? ReadZip(byte[] data, Func<ZipArchive, string?> read)
    {
        using var zip = new ZipArchive(new MemoryStream(data, writable: false), ZipArchiveMode.Read);
        return read(zip);
    }

    private static Kind ByExtension(string? fileName) =>
        Path.GetExtension(fileName ?? string.Empty).ToLowerInvariant() switch
        {
            ".docx" => Kind.Docx,
            ".odt" => Kind.Odt,
            ".pdf" => Kind.Pdf,
            _ => Kind.Unknown,
        };

    private static Kind Sniff(byte[] data)
    {
        if (IsPdf(data))
        {
            return Kind.Pdf;
        }

        if (data.Length < 4 || data[0] != 'P' || data[1] != 'K' || data[2] != 3 || data[3] != 4)
        {
            return Kind.Unknown;
        }

        // ODF puts its media type uncompressed at offset 38 ("mimetype" is the first entry).
        var odtMarker = Encoding.ASCII.GetBytes("mimetype" + OdtMediaType);
        if (data.AsSpan(0, Math.Min(data.Length, 128)).IndexOf(odtMarker) >= 0)
        {
            return Kind.Odt;
        }

        using var zip = new ZipArchive(new MemoryStream(data, writable: false), ZipArchiveMode.Read);
        return zip.GetEntry("word/document.xml") is not null ? Kind.Docx
            : zip.GetEntry("content.xml") is not null ? Kind.Odt
            : Kind.Unknown;
    }

    // ISO 32000-1 §7.5.2 lets readers accept a header within the first 1024 bytes.
    private static bool IsPdf(byte[] data) => data.AsSpan(0, Math.Min(data.Length, 1024)).IndexOf("%PDF-"u8) >= 0;

    private static byte[]? ReadAtMost(Stream content, long limit)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = content.Read(chunk)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > limit)
            {
                return null;
            }
        }

        return buffer.ToArray();
    }
}
