using System.IO.Compression;
using System.Text;
using MailIntake.Worker.Documents;

namespace MailIntake.Worker.Tests.Documents;

public class NoticeFormOdtTests
{
    [Fact]
    public void Create_SampleNotice_StartsWithStoredMimetypeEntry()
    {
        var odt = NoticeFormOdt.Create(SampleNotice.Form);

        // ODF 1.3 Part 2 §3.3: "mimetype" first, stored, no extra field, so the type sits at offset 38.
        Assert.Equal("PK\u0003\u0004", Encoding.ASCII.GetString(odt, 0, 4));
        Assert.Equal(0, BitConverter.ToUInt16(odt, 8));
        Assert.Equal(0, BitConverter.ToUInt16(odt, 28));
        Assert.Equal("mimetypeapplication/vnd.oasis.opendocument.text", Encoding.ASCII.GetString(odt, 30, 47));
    }

    [Fact]
    public void Create_SampleNotice_HasManifestContentAndStyles()
    {
        using var zip = new ZipArchive(new MemoryStream(NoticeFormOdt.Create(SampleNotice.Form)), ZipArchiveMode.Read);

        Assert.Equal(["mimetype", "META-INF/manifest.xml", "styles.xml", "content.xml"], zip.Entries.Select(e => e.FullName));
    }

    [Fact]
    public void Create_SampleNotice_ContentHasReferenceOrgCodeAndDeadline()
    {
        using var zip = new ZipArchive(new MemoryStream(NoticeFormOdt.Create(SampleNotice.Form)), ZipArchiveMode.Read);
        using var reader = new StreamReader(zip.GetEntry("content.xml")!.Open());
        var content = reader.ReadToEnd();

        Assert.Contains("TN-115-0001", content);
        Assert.Contains("XC12345678 / 台南市示範公會", content);
        Assert.Contains("應於中華民國115年12月10日前改善完竣。", content);
    }

    [Fact]
    public void Create_ConvertedByLibreOffice_PdfHasReferenceOrgCodeAndDeadline()
    {
        using var work = new TempDirectory();

        var pdf = LibreOffice.ConvertToPdf(NoticeFormOdt.Create(SampleNotice.Form), ".odt", work.Path);

        var letters = PdfTextOf.Letters(pdf);
        Assert.Contains("TN-115-0001", letters);
        Assert.Contains("XC12345678", letters);
        Assert.Contains("中華民國115年12月10日", letters);
    }
}
