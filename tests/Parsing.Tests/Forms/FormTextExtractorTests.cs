using MailIntake.Parsing.Tests.Fuzz;
using System.IO.Compression;
using System.Text;

namespace MailIntake.Parsing.Tests.Forms;

public class FormTextExtractorTests
{
    private static string? Extract(string? name, byte[] data) => FormTextExtractor.ExtractText(name, new MemoryStream(data));

    [Fact]
    public void ExtractText_Docx_ReturnsCellAndParagraphTextOneLineEach()
    {
        var docx = TestDocuments.Docx("填寫人", "姓名：李大同", "本用戶已於115年12月01日完成以下改善事項：");

        var text = Extract("form.docx", docx);

        Assert.Equal("填寫人\n姓名：李大同\n本用戶已於115年12月01日完成以下改善事項：\n", text);
    }

    [Fact]
    public void ExtractText_Odt_ReturnsParagraphsWithRepeatedSpacesKept()
    {
        var odt = TestDocuments.Odt("編號：TN-115-0001", "1.  已完成");

        var text = Extract("form.odt", odt);

        Assert.Equal("編號：TN-115-0001\n1.  已完成\n", text);
    }

    [Fact]
    public void ExtractText_TextPdf_ReturnsPageText()
    {
        var pdf = TestDocuments.Pdf(1, "Reference TN-115-0001", "Org XC12345678");

        var text = Extract("form.pdf", pdf);

        Assert.NotNull(text);
        Assert.Contains("TN-115-0001", text);
        Assert.Contains("XC12345678", text);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("attachment.bin")]
    public void ExtractText_UnknownNameOfDocx_SniffsZipContent(string? name)
    {
        var text = Extract(name, TestDocuments.Docx("編號", "TN-115-0002"));

        Assert.Contains("TN-115-0002", text);
    }

    [Fact]
    public void ExtractText_UnknownNameOfOdt_SniffsMimetype()
    {
        var text = Extract("reply", TestDocuments.Odt("TN-115-0003"));

        Assert.Equal("TN-115-0003\n", text);
    }

    [Fact]
    public void ExtractText_UnknownNameOfPdf_SniffsPdfHeader()
    {
        var text = Extract(null, TestDocuments.Pdf(1, "TN-115-0004"));

        Assert.Contains("TN-115-0004", text);
    }

    [Fact]
    public void ExtractText_RandomBytesNamedPdf_ReturnsNull()
    {
        var random = new byte[64 * 1024];
        new Random(42).NextBytes(random);

        Assert.Null(Extract("form.pdf", random));
    }

    [Fact]
    public void ExtractText_PdfHeaderFollowedByGarbage_ReturnsNull()
    {
        var garbage = Encoding.ASCII.GetBytes("%PDF-1.7\n" + new string('x', 5000) + "\n%%EOF");

        Assert.Null(Extract("form.pdf", garbage));
    }

    // Found by the fuzzer (tests/Parsing.Tests/Fuzz/Regressions): PdfPig threw IndexOutOfRangeException,
    // NullReferenceException and InvalidCastException on these, and the whole reply failed with them.
    [Theory]
    [InlineData("JVBERi0KMiAwb2JqPDw+PnN0cmVhbQplbmRvYmoKMTcgMCBvYmp0cmFpbGVyCjw8L1NpemUgOS9Sb290IDE3IDBSCg==")]
    [InlineData("JVBERi0KMTMgMCBvYmo8PD4+ZW5kb2JqCjE0IDAgb2JqPDwvRmlsdGVyLy9WIDJnPj5lbmRvYmoKdHJhaWxlcgo8PC9TaXplIDUvUm9vdCAxMyAwUi9FbmNyeXB0IDE0IDAgUg==")]
    [InlineData("JVBERi0KNDUgMCBvYmo8PC9SZXNvdXJjZXM8PC9FeHRHU3RhdGU8PC8gNCAwUj4+Pj4+PmVuZG9iago1IDAgb2JqPDwvLy9OIDYvRmlyc3QgNj4+c3RyZWFtCsUKZW5kc3RyZWFtCjIgMCBvYmo8PC8vL0tpZHNbMyAwUiA0NSAwUl0+PmVuZG9iagoxIDAgb2JqPDwvUGFnZXMgMiAwUj4+ZW5kb2JqCjYgMCBvYmo8PC9TaXplIDcvUm9vdCAxIDBSPF0KL1R5cGUvWFJlZi9XWzEgMyAyXS9GaWx0ZXIvRmxhdGVEZWNvZGUvPj5zdHJlYW0KeJwt0rtPk1EYBvD3+UrpvRSrXCptQRChIqEJk3FikuBESBM2HEGUwY2EhRAQTbgqeEsEBsIfIoOsDNrVUi5yDXGQqZ73ybv88uQ578nJ+b4jIlKpAEefRJx9TjnbF/FE/AplbmRzdHJlYW0K")]
    public void ExtractText_PdfThatCrashesThePdfLibrary_ReturnsNull(string base64)
    {
        Assert.Null(Extract("form.pdf", Convert.FromBase64String(base64)));
    }

    [Fact]
    public void ExtractText_RandomBytesNamedDocx_ReturnsNull()
    {
        var random = new byte[4096];
        new Random(7).NextBytes(random);

        Assert.Null(Extract("form.docx", random));
    }

    [Fact]
    public void ExtractText_TruncatedDocx_ReturnsNull()
    {
        var docx = TestDocuments.Docx("編號", "TN-115-0001");

        Assert.Null(Extract("form.docx", docx[..(docx.Length / 2)]));
    }

    [Fact]
    public void ExtractText_OdtWithEntityExpansion_ReturnsNull()
    {
        // Billion laughs: DTDs are refused, so the entities never expand.
        const string content = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
            + "<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\"><office:body><office:text><text:p>&b;</text:p></office:text></office:body></office:document-content>";
        var odt = TestDocuments.Zip(("mimetype", "application/vnd.oasis.opendocument.text", CompressionLevel.NoCompression), ("content.xml", content, CompressionLevel.Optimal));

        Assert.Null(Extract("form.odt", odt));
    }

    [Fact]
    public void ExtractText_PdfOverPageLimit_ReturnsNull()
    {
        var pdf = TestDocuments.Pdf(FormLimits.MaxPdfPages + 1, "TN-115-0001");

        Assert.Null(Extract("form.pdf", pdf));
    }

    [Fact]
    public void ExtractText_InputOverSizeLimit_ReturnsNull()
    {
        var data = new byte[FormLimits.MaxInputBytes + 1];
        "%PDF-1.7"u8.CopyTo(data);

        Assert.Null(Extract("form.pdf", data));
    }

    [Fact]
    public void ExtractText_ZipBombDocx_ReturnsNullQuicklyWithinMemory()
    {
        var bomb = ZipBomb.Docx(uncompressedBytes: 1L << 30, understateSize: false);

        AssertRejectedCheaply(bomb);
    }

    [Fact]
    public void ExtractText_ZipBombDocxWithUnderstatedSize_ReturnsNullQuicklyWithinMemory()
    {
        var bomb = ZipBomb.Docx(uncompressedBytes: 1L << 30, understateSize: true);

        AssertRejectedCheaply(bomb);
    }

    private static void AssertRejectedCheaply(byte[] bomb)
    {
        Assert.True(bomb.Length < 4 * 1024 * 1024, $"the bomb should be small, was {bomb.Length} bytes");
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var cpu = ThreadCpuTime.Current();
        var cpuBefore = cpu.Used();

        var text = Extract("bomb.docx", bomb);

        var cpuUsed = cpu.Used() - cpuBefore;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        Assert.Null(text);
        Assert.True(cpuUsed < TimeSpan.FromSeconds(20), $"used {cpuUsed} of CPU");
        Assert.True(allocated < 512L * 1024 * 1024, $"allocated {allocated} bytes");
    }
}
