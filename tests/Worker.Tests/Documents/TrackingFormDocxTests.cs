using MailIntake.Worker.Documents;

namespace MailIntake.Worker.Tests.Documents;

public class TrackingFormDocxTests
{
    [Fact]
    public void Create_SampleExport_HoldsOnlyTheTrackingForm()
    {
        var letters = ExportText.OfDocx(TrackingFormDocx.Create(SampleExport.Full));

        Assert.StartsWith("公文電子交換系統限期改善單追蹤評估表", letters, StringComparison.Ordinal);
        Assert.Contains("交換中心主管機關追蹤評估意見", letters);
        Assert.DoesNotContain("事由", letters);
        Assert.DoesNotContain("填寫人", letters);
    }

    [Fact]
    public void Create_ConvertedByLibreOffice_PdfHasOrgCodeTicksTrackersAndDates()
    {
        using var work = new TempDirectory();

        var letters = PdfTextOf.Letters(LibreOffice.ConvertToPdf(TrackingFormDocx.Create(SampleExport.Full), ".docx", work.Path));

        Assert.Contains("XC12345678/台南市示範公會", letters);
        Assert.Contains("TN-115-0001", letters);
        Assert.Contains("■尚未完成，再給予改善期限至中華民國115年12月20日。", ExportText.Round(letters, 1));
        Assert.Contains("□改善完成。", ExportText.Round(letters, 1));
        Assert.Contains("追蹤人員陳督導追蹤日期中華民國115年12月21日", ExportText.Round(letters, 2));
        Assert.Contains("■尚未完成，已於中華民國116年1月11日通知改善機關於中華民國116年1月18日起中止交換服務。", ExportText.Round(letters, 3));
        Assert.Equal(2, ExportText.Boxes(ExportText.Round(letters, 3)));
        Assert.Contains("說明：", letters);
    }
}
