namespace MailIntake.Parsing.Tests.Forms;

public class ReturnedFormReaderTests
{
    // The organisation's part as FormTextExtractor returns it from the form NoticeFormDocx writes.
    private const string FilledForm = """
        公文電子交換系統限期改善單
        編號：TN-115-0001　　日期：中華民國115年11月27日
        改善對象
        機關(構)代碼/機關(構)名稱：XC12345678 / 台南市示範公會
        說明
        改善事項：
        1. 請確認貴用戶使用本系統電腦連線惡意 IP(45.67.89.10)原因。
        2. 請對貴用戶使用本系統電腦進行掃毒及採樣回報掃描 log 或結果。
        以下由改善對象填寫
        填寫人
        姓名：李大同　電話：06-2345678　郵件信箱：lee@org1.example.tw
        改善事項處理情形與說明
        本用戶已於115年12月01日完成以下改善事項：
        1. 經查係員工點擊釣魚郵件所致，已由防火牆設定阻擋規則。

        2. 已以防毒軟體全機掃描，
        未發現惡意程式。
        佐證資料
        附件1　防火牆阻擋規則
        說明：
        一、以電子郵件方式回復者，應再以電話確認之。
        """;

    [Fact]
    public void Read_TextWithoutTitleOrReference_ReturnsNull()
    {
        Assert.Null(ReturnedFormReader.Read("您好，附件為本會資料，請查收。"));
    }

    [Fact]
    public void Read_TitleWithoutReference_ReturnsFormWithNoReferences()
    {
        var form = ReturnedFormReader.Read("公文電子交換系統限期改善單\n本用戶已於115年12月01日完成以下改善事項：\n1. 已處理");

        Assert.NotNull(form);
        Assert.Empty(form.References);
    }

    [Fact]
    public void Read_FilledForm_ReturnsReference()
    {
        var form = ReturnedFormReader.Read(FilledForm);

        Assert.Equal(["TN-115-0001"], form!.References);
    }

    [Fact]
    public void Read_FilledForm_ReturnsFiller()
    {
        var form = ReturnedFormReader.Read(FilledForm);

        Assert.Equal(new Filler("李大同", "06-2345678", "lee@org1.example.tw"), form!.Filler);
    }

    [Fact]
    public void Read_FilledForm_ReturnsCompletionDate()
    {
        var form = ReturnedFormReader.Read(FilledForm);

        Assert.Equal(new DateOnly(2026, 12, 1), form!.CompletedOn);
    }

    [Fact]
    public void Read_FilledForm_ReturnsAnswersAfterTheCompletionLineOnly()
    {
        var form = ReturnedFormReader.Read(FilledForm);

        Assert.Equal(
            [
                new ItemAnswer(1, "經查係員工點擊釣魚郵件所致，已由防火牆設定阻擋規則。"),
                new ItemAnswer(2, "已以防毒軟體全機掃描，\n未發現惡意程式。"),
            ],
            form!.ItemAnswers);
    }

    [Theory]
    [InlineData("１．已設定阻擋規則")]
    [InlineData("(1)已設定阻擋規則")]
    [InlineData("（１）已設定阻擋規則")]
    [InlineData("1、已設定阻擋規則")]
    [InlineData("  1) 已設定阻擋規則")]
    public void Read_NumberingAsPeopleTypeIt_ReturnsItemOne(string line)
    {
        var form = ReturnedFormReader.Read($"TN-115-0001\n本用戶已於115年12月01日完成以下改善事項：\n{line}");

        Assert.Equal([new ItemAnswer(1, "已設定阻擋規則")], form!.ItemAnswers);
    }

    [Fact]
    public void Read_BlankForm_ReturnsNoAnswersNoFillerNoDate()
    {
        const string blank = """
            公文電子交換系統限期改善單 TN-115-0001
            填寫人
            姓名：　　　　　　　電話：　　　　　　　郵件信箱：　　　　　　
            本用戶已於　　年　　月　　日完成以下改善事項：
            1.

            2.

            佐證資料
            """;

        var form = ReturnedFormReader.Read(blank);

        Assert.NotNull(form);
        Assert.Empty(form.ItemAnswers);
        Assert.Null(form.Filler);
        Assert.Null(form.CompletedOn);
    }

    [Fact]
    public void Read_RepeatedNumberFromQuotedCopy_KeepsFirstAnswer()
    {
        var form = ReturnedFormReader.Read("TN-115-0001\n已於115年12月01日完成以下改善事項：\n1. 新的說明\n1. 舊的說明");

        Assert.Equal([new ItemAnswer(1, "新的說明")], form!.ItemAnswers);
    }
}
