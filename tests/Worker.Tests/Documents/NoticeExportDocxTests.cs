using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using MailIntake.Worker.Documents;

namespace MailIntake.Worker.Tests.Documents;

public class NoticeExportDocxTests
{
    [Fact]
    public void Create_SampleExport_HasNoticeReplyAndTrackingFormText()
    {
        var letters = ExportText.OfDocx(NoticeExportDocx.Create(SampleExport.Full));

        Assert.Contains("編號：TN-115-0001", letters);
        Assert.Contains("應於中華民國115年12月10日前改善完竣。", letters);
        Assert.Contains("李大同/06-2345678/lee@org1.example.tw", letters);
        Assert.Contains("追蹤評估表", letters);
        Assert.Contains("■尚未完成，再給予改善期限至中華民國115年12月20日。", ExportText.Round(letters, 1));
    }

    [Fact]
    public void Create_SampleExport_NamesNotoSansCjkTcAsEastAsianFont()
    {
        using var document = WordprocessingDocument.Open(new MemoryStream(NoticeExportDocx.Create(SampleExport.Full)), isEditable: false);

        var fonts = document.MainDocumentPart!.StyleDefinitionsPart!.Styles!.DocDefaults!.Descendants<RunFonts>().Single();

        Assert.Equal("Noto Sans CJK TC", fonts.EastAsia?.Value);
    }

    [Fact]
    public void Create_SampleExport_StartsTheTrackingFormOnANewPage()
    {
        using var document = WordprocessingDocument.Open(new MemoryStream(NoticeExportDocx.Create(SampleExport.Full)), isEditable: false);

        var breaks = document.MainDocumentPart!.Document!.Body!.Descendants<Paragraph>()
            .Where(paragraph => paragraph.ParagraphProperties?.PageBreakBefore is not null)
            .Select(paragraph => paragraph.InnerText);

        Assert.Equal(["公文電子交換系統限期改善單"], breaks);
    }

    [Fact]
    public void Create_ConvertedByLibreOffice_PdfHasReferenceDeadlineTicksTrackersAndDates()
    {
        using var work = new TempDirectory();

        var letters = PdfTextOf.Letters(LibreOffice.ConvertToPdf(NoticeExportDocx.Create(SampleExport.Full), ".docx", work.Path));

        Assert.Contains("TN-115-0001", letters);
        Assert.Contains("XC12345678", letters);
        Assert.Contains("中華民國115年12月10日", letters);
        Assert.Contains("■尚未完成，再給予改善期限至中華民國115年12月20日。", ExportText.Round(letters, 1));
        Assert.Contains("□改善完成。", ExportText.Round(letters, 1));
        Assert.Contains("追蹤人員王承辦追蹤日期中華民國115年12月15日", ExportText.Round(letters, 1));
        Assert.Contains("追蹤人員林科長追蹤日期中華民國116年1月11日", ExportText.Round(letters, 3));
        Assert.Equal(2, ExportText.Boxes(ExportText.Round(letters, 3)));
    }
}
