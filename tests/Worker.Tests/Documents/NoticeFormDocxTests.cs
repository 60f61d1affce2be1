using DocumentFormat.OpenXml.Packaging;
using MailIntake.Worker.Documents;

namespace MailIntake.Worker.Tests.Documents;

public class NoticeFormDocxTests
{
    [Fact]
    public void Create_SampleNotice_WritesFormTextWithReferenceOrgCodeAndRocDates()
    {
        using var document = WordprocessingDocument.Open(new MemoryStream(NoticeFormDocx.Create(SampleNotice.Form)), isEditable: false);
        var text = document.MainDocumentPart!.Document!.Body!.InnerText;

        Assert.Contains("公文電子交換系統限期改善單", text);
        Assert.Contains("編號：TN-115-0001", text);
        Assert.Contains("日期：中華民國115年11月27日", text);
        Assert.Contains("XC12345678 / 台南市示範公會", text);
        Assert.Contains("中華民國115年11月20日至中華民國115年11月22日", text);
        Assert.Contains("應於中華民國115年12月10日前改善完竣。", text);
        Assert.Contains("應再以電話確認之（主管機關聯絡電話 06-2991111轉1234）", text);
    }

    [Fact]
    public void Create_SampleNotice_LeavesTheOrganisationsPartBlank()
    {
        using var document = WordprocessingDocument.Open(new MemoryStream(NoticeFormDocx.Create(SampleNotice.Form)), isEditable: false);
        var paragraphs = document.MainDocumentPart!.Document!.Body!.Descendants<DocumentFormat.OpenXml.Wordprocessing.Paragraph>()
            .Select(p => p.InnerText).ToList();

        Assert.Contains("姓名：\u3000\u3000\u3000\u3000\u3000\u3000\u3000電話：\u3000\u3000\u3000\u3000\u3000\u3000\u3000郵件信箱：\u3000\u3000\u3000\u3000\u3000\u3000", paragraphs);
        Assert.Contains("本用戶已於\u3000\u3000年\u3000\u3000月\u3000\u3000日完成以下改善事項：", paragraphs);
        Assert.All(Enumerable.Range(1, 5), item => Assert.Contains($"{item}.", paragraphs));
        Assert.Contains("附件4　公文檔案掃描結果", paragraphs);
        Assert.Contains("用戶（組織或團體）印信", paragraphs);
    }

    [Fact]
    public void Create_ConvertedByLibreOffice_PdfHasReferenceOrgCodeAndDeadline()
    {
        using var work = new TempDirectory();

        var pdf = LibreOffice.ConvertToPdf(NoticeFormDocx.Create(SampleNotice.Form), ".docx", work.Path);

        var letters = PdfTextOf.Letters(pdf);
        Assert.Contains("TN-115-0001", letters);
        Assert.Contains("XC12345678", letters);
        Assert.Contains("中華民國115年12月10日", letters);
    }
}
