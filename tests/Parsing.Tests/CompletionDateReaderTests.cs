namespace MailIntake.Parsing.Tests;

public class CompletionDateReaderTests
{
    [Theory]
    [InlineData("本用戶已於115年12月01日完成以下改善事項：")]
    [InlineData("本用戶已於 115 年 12 月 1 日完成以下改善事項")]
    [InlineData("已於2026-12-01完成")]
    [InlineData("已於115/12/01完成")]
    [InlineData("本用戶已於１１５年１２月０１日完成以下改善事項")]
    [InlineData("已於中華民國115年12月1日完成")]
    [InlineData("已於115.12.1改善完成")]
    public void Read_CompletionSentence_ReturnsDate(string text)
    {
        Assert.Equal(new DateOnly(2026, 12, 1), CompletionDateReader.Read(text));
    }

    [Fact]
    public void Read_SentenceInsideLongerReply_ReturnsDate()
    {
        string text = """
            您好，附件為本會之限期改善單回覆。

            處理情形與說明：
            本用戶已於115年11月28日完成以下改善事項：
            1. 經查本用戶使用本系統電腦連線惡意IP原因係釣魚郵件造成。
            """;

        Assert.Equal(new DateOnly(2026, 11, 28), CompletionDateReader.Read(text));
    }

    [Theory]
    [InlineData("本用戶已於 XX年 XX月 XX日完成以下改善事項：")]
    [InlineData("本用戶已於XX年XX月XX日完成以下改善事項")]
    [InlineData("本用戶已於○年○月○日完成以下改善事項")]
    [InlineData("已於 xx年 xx月 xx日完成")]
    public void Read_TemplatePlaceholder_ReturnsNull(string text)
    {
        Assert.Null(CompletionDateReader.Read(text));
    }

    [Theory]
    [InlineData("已於115/02/30完成")]
    [InlineData("已於115年13月01日完成")]
    public void Read_InvalidDate_ReturnsNull(string text)
    {
        Assert.Null(CompletionDateReader.Read(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("應於中華民國115年12月10日前改善完竣。")]
    [InlineData("於 115年 12月 01日使用防毒軟體掃描")]
    public void Read_NoCompletionSentence_ReturnsNull(string text)
    {
        Assert.Null(CompletionDateReader.Read(text));
    }

    [Fact]
    public void Read_PlaceholderThenRealSentence_ReturnsRealDate()
    {
        string text = "範例：本用戶已於 XX年 XX月 XX日完成。\n本用戶已於115年12月3日完成以下改善事項";
        Assert.Equal(new DateOnly(2026, 12, 3), CompletionDateReader.Read(text));
    }

    [Theory]
    [InlineData("本用戶已於1911年12月31日完成以下改善事項", "1911年12月31日")]
    [InlineData("本用戶已於0115年12月1日完成以下改善事項", "0115年12月1日")]
    [InlineData("本用戶已於115年13月1日完成以下改善事項", "115年13月1日")]
    public void Unreadable_DateWrittenThatIsNoDate_ReturnsItAsWritten(string text, string written)
    {
        Assert.Null(CompletionDateReader.Read(text));
        Assert.Equal(written, CompletionDateReader.Unreadable(text));
    }

    [Theory]
    [InlineData("本用戶已於115年12月1日完成以下改善事項")]
    [InlineData("本用戶已於 XX年 XX月 XX日完成以下改善事項")]
    [InlineData("本用戶已於　年　月　日完成以下改善事項")]
    [InlineData("沒有日期")]
    public void Unreadable_ReadableOrBlankDate_ReturnsNull(string text)
    {
        Assert.Null(CompletionDateReader.Unreadable(text));
    }
}
