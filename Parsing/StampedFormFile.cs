using MimeKit;

namespace MailIntake.Parsing;

/// <summary>
/// A file named as the notice form (限期改善單) counts as the stamped form sent back only when it can carry a stamp: a scan
/// (PDF or image) or a word-processing document, by its name and by its first bytes. A text file, or a "PDF" that is not
/// one, named so is evidence like any other file, never the stamped form.
/// </summary>
public static class StampedFormFile
{
    private const string FormTitle = "限期改善單";
    private const int HeaderBytes = 1024;

    private static readonly Dictionary<string, byte[][]> Signatures = new(StringComparer.OrdinalIgnoreCase)
    {
        [".jpg"] = [[0xFF, 0xD8, 0xFF]],
        [".jpeg"] = [[0xFF, 0xD8, 0xFF]],
        [".png"] = [[0x89, (byte)'P', (byte)'N', (byte)'G']],
        [".tif"] = [[(byte)'I', (byte)'I', 0x2A, 0x00], [(byte)'M', (byte)'M', 0x00, 0x2A]],
        [".tiff"] = [[(byte)'I', (byte)'I', 0x2A, 0x00], [(byte)'M', (byte)'M', 0x00, 0x2A]],
        [".gif"] = [[(byte)'G', (byte)'I', (byte)'F', (byte)'8']],
        [".bmp"] = [[(byte)'B', (byte)'M']],
        [".doc"] = [[0xD0, 0xCF, 0x11, 0xE0]],
        [".docx"] = [[(byte)'P', (byte)'K', 0x03, 0x04]],
        [".odt"] = [[(byte)'P', (byte)'K', 0x03, 0x04]],
    };

    private static ReadOnlySpan<byte> PdfMarker => "%PDF-"u8;

    /// <summary>Whether <paramref name="attachment"/> is named as the notice form and is a scan or document by its bytes.</summary>
    public static bool Is(ParsedAttachment attachment)
    {
        ArgumentNullException.ThrowIfNull(attachment);
        var name = attachment.OriginalName ?? attachment.Name.FileName;
        if (!name.Contains(FormTitle, StringComparison.Ordinal))
        {
            return false;
        }

        var extension = Path.GetExtension(attachment.Name.FileName);
        var isPdf = extension.Equals(".pdf", StringComparison.OrdinalIgnoreCase);
        if (!isPdf && !Signatures.ContainsKey(extension))
        {
            return false;
        }

        var head = Head(attachment.Part);

        // A PDF may carry a few bytes before its header; the other kinds begin with their signature.
        return isPdf
            ? head.AsSpan().IndexOf(PdfMarker) >= 0
            : Signatures[extension].Any(signature => head.AsSpan().StartsWith(signature));
    }

    private static byte[] Head(MimePart part)
    {
        if (part.Content is null)
        {
            return [];
        }

        using var decoded = part.Content.Open();
        var buffer = new byte[HeaderBytes];
        var length = decoded.ReadAtLeast(buffer, HeaderBytes, throwOnEndOfStream: false);
        return buffer[..length];
    }
}
