using System.Text;
using MimeKit;

namespace MailIntake.Parsing.Tests;

public sealed class StampedFormFileTests
{
    [Theory]
    [InlineData("限期改善單_已蓋章.pdf", "%PDF-1.4\n%scan")]
    [InlineData("限期改善單_已蓋章.PDF", "\r\n%PDF-1.7\n")] // a few bytes before the header, as PDF allows
    [InlineData("限期改善單.jpg", "\xFF\xD8\xFF\xE0JFIF")]
    [InlineData("限期改善單.png", "\x89PNG\r\n\x1a\n")]
    [InlineData("限期改善單.tif", "II*\0")]
    [InlineData("限期改善單_回覆.docx", "PK\x03\x04")]
    public void Is_FormNamedScanOrDocumentWithItsSignature_True(string name, string head) =>
        Assert.True(StampedFormFile.Is(Attachment(name, Latin1(head))));

    [Theory]
    [InlineData("限期改善單_已蓋章.pdf", "this is not a PDF, 31 bytes...")] // named as a scan, holds text
    [InlineData("限期改善單補充說明.txt", "補充說明")]                        // a text file named after the form
    [InlineData("限期改善單.png", "%PDF-1.4\n")]                            // a PDF named as an image
    [InlineData("掃描檔.pdf", "%PDF-1.4\n")]                                // a scan not named as the form
    public void Is_NotAScanNamedAsTheForm_False(string name, string head) =>
        Assert.False(StampedFormFile.Is(Attachment(name, head.StartsWith('%') ? Latin1(head) : Encoding.UTF8.GetBytes(head))));

    private static byte[] Latin1(string text) => Encoding.Latin1.GetBytes(text);

    private static ParsedAttachment Attachment(string name, byte[] content)
    {
        var part = new MimePart("application", "octet-stream")
        {
            FileName = name,
            Content = new MimeContent(new MemoryStream(content)),
            ContentTransferEncoding = ContentEncoding.Base64,
        };
        return new ParsedAttachment(part, name, AttachmentNameInspector.Inspect(name, 0), "application/octet-stream");
    }
}
