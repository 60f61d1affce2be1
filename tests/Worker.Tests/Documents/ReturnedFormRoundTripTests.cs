using MailIntake.Parsing;
using MailIntake.Worker.Documents;

namespace MailIntake.Worker.Tests.Documents;

/// <summary>
/// The form we send, filled in as an organisation would and read back: proves the writer's
/// blanks and the reader's anchors agree.
/// </summary>
public class ReturnedFormRoundTripTests
{
    private static readonly Dictionary<string, string> Answers = new()
    {
        [NoticeFormText.FillerBlankLine] = SampleNotice.FillerLine,
        [NoticeFormText.CompletionBlankLine] = SampleNotice.CompletionLine,
        ["1."] = SampleNotice.ItemOneAnswer,
    };

    [Fact]
    public void ExtractAndRead_FilledDocx_ReturnsReferenceFillerDateAndAnswer()
    {
        var filled = FormFiller.FillDocx(NoticeFormDocx.Create(SampleNotice.Form), Answers);

        AssertReadBack(FormTextExtractor.ExtractText("限期改善單.docx", new MemoryStream(filled)));
    }

    [Fact]
    public void ExtractAndRead_FilledOdt_ReturnsReferenceFillerDateAndAnswer()
    {
        var filled = FormFiller.FillOdt(NoticeFormOdt.Create(SampleNotice.Form), Answers);

        AssertReadBack(FormTextExtractor.ExtractText("限期改善單.odt", new MemoryStream(filled)));
    }

    [Fact]
    public void ExtractAndRead_FilledOdtPrintedToPdf_ReturnsReferenceFillerDateAndAnswer()
    {
        using var work = new TempDirectory();
        var filled = FormFiller.FillOdt(NoticeFormOdt.Create(SampleNotice.Form), Answers);
        var pdf = LibreOffice.ConvertToPdf(filled, ".odt", work.Path);

        using var stream = File.OpenRead(pdf);
        AssertReadBack(FormTextExtractor.ExtractText("限期改善單.pdf", stream), pdfLineBreaks: true);
    }

    [Fact]
    public void ExtractAndRead_BlankDocx_ReturnsReferenceWithNothingFilled()
    {
        var text = FormTextExtractor.ExtractText("限期改善單.docx", new MemoryStream(NoticeFormDocx.Create(SampleNotice.Form)));

        var form = ReturnedFormReader.Read(text!);

        Assert.NotNull(form);
        Assert.Equal(["TN-115-0001"], form.References);
        Assert.Null(form.Filler);
        Assert.Null(form.CompletedOn);
        Assert.Empty(form.ItemAnswers);
    }

    private static void AssertReadBack(string? text, bool pdfLineBreaks = false)
    {
        Assert.NotNull(text);
        var form = ReturnedFormReader.Read(text);

        Assert.NotNull(form);
        Assert.Equal(["TN-115-0001"], form.References);
        Assert.Contains("XC12345678", form.Text);
        Assert.Equal(new Filler("李大同", "06-2345678", "lee@org1.example.tw"), form.Filler);
        Assert.Equal(new DateOnly(2026, 12, 1), form.CompletedOn);
        var answer = Assert.Single(form.ItemAnswers);
        Assert.Equal(1, answer.Item);

        // A PDF keeps the printed layout's line breaks: a long answer comes back wrapped.
        Assert.Equal(SampleNotice.ItemOneAnswer[3..], pdfLineBreaks ? answer.Text.Replace("\n", string.Empty, StringComparison.Ordinal) : answer.Text);
    }
}
