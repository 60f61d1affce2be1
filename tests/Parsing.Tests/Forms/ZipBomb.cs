using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace MailIntake.Parsing.Tests.Forms;

/// <summary>A tiny .docx whose word/document.xml inflates to gigabytes of valid-looking XML.</summary>
internal static class ZipBomb
{
    private const string Header = "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>";

    public static byte[] Docx(long uncompressedBytes, bool understateSize)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = zip.CreateEntry("word/document.xml", CompressionLevel.SmallestSize).Open();
            entry.Write(Encoding.UTF8.GetBytes(Header));

            // Empty paragraphs: well-formed, so only a size limit stops the reader.
            var chunk = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("<w:p/>", 10_000)));
            for (long written = 0; written < uncompressedBytes; written += chunk.Length)
            {
                entry.Write(chunk);
            }
        }

        var bytes = stream.ToArray();
        if (understateSize)
        {
            Understate(bytes);
        }

        return bytes;
    }

    // Rewrites the uncompressed size in the local and central headers to 1000 bytes, as a
    // hostile zip would, so only counting what actually inflates can catch it.
    private static void Understate(byte[] zip)
    {
        for (var i = 0; i + 46 < zip.Length; i++)
        {
            var signature = BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(i));
            if (signature == 0x04034b50)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(i + 22), 1000);
            }
            else if (signature == 0x02014b50)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(i + 24), 1000);
            }
        }
    }
}
