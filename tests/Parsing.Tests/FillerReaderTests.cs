namespace MailIntake.Parsing.Tests;

public class FillerReaderTests
{
    private const string PaperFormTemplate = """
        填 寫 人 姓名/電話/郵件信箱

        李 OO / 06-12345678 / ********** @ *******.org.tw

        （請改善對象（機關（構））填表人員填寫本項資料）

        【必填】請用戶（組織或團體）填寫聯絡人與聯絡方式。
        """;

    [Fact]
    public void Read_FormRowOnNextLine_ReadsAllFields()
    {
        string text = """
            填 寫 人 姓名/電話/郵件信箱

            李大同 / 06-12345678 / lee@x.org.tw
            """;

        Assert.Equal(new Filler("李大同", "06-12345678", "lee@x.org.tw"), FillerReader.Read(text));
    }

    [Fact]
    public void Read_FormRowAfterColonOnSameLine_ReadsAllFields()
    {
        Assert.Equal(
            new Filler("李大同", "06-2345678", "lee@x.org.tw"),
            FillerReader.Read("姓名/電話/郵件信箱：李大同 / 06-2345678 / lee@x.org.tw"));
    }

    [Fact]
    public void Read_FillerLabelWithSlashes_ReadsAllFields()
    {
        Assert.Equal(
            new Filler("李大同", "06-2345678", "lee@x.org.tw"),
            FillerReader.Read("填寫人：李大同 / 06-2345678 / lee@x.org.tw"));
    }

    [Fact]
    public void Read_FillerLabelWithEnumerationCommasAndHashExtension_ReadsAllFields()
    {
        Assert.Equal(
            new Filler("李大同", "06-2345678#12", "lee@x.org.tw"),
            FillerReader.Read("填寫人:李大同、06-2345678#12、lee@x.org.tw"));
    }

    [Theory]
    [InlineData("填表人：王小明 / 0912-345-678 / wang@abc.org.tw")]
    [InlineData("聯絡人：王小明 / 0912-345-678 / wang@abc.org.tw")]
    public void Read_AlternativeLabels_ReadsAllFields(string text)
    {
        Assert.Equal(new Filler("王小明", "0912-345-678", "wang@abc.org.tw"), FillerReader.Read(text));
    }

    [Fact]
    public void Read_SeparateLabelledLines_ReadsAllFields()
    {
        string text = """
            姓名：李大同
            電話：(06)2345678 轉 12
            E-mail：lee@x.org.tw
            """;

        Assert.Equal(new Filler("李大同", "(06)2345678 轉 12", "lee@x.org.tw"), FillerReader.Read(text));
    }

    [Theory]
    [InlineData("電子郵件：lee@x.org.tw")]
    [InlineData("郵件信箱：lee@x.org.tw")]
    [InlineData("Email: lee@x.org.tw")]
    public void Read_EmailLabelVariants_ReadsEmail(string emailLine)
    {
        Filler? filler = FillerReader.Read("姓名：李大同\n" + emailLine);
        Assert.Equal(new Filler("李大同", null, "lee@x.org.tw"), filler);
    }

    [Fact]
    public void Read_FullWidthColonSlashDigitsAndAt_Normalises()
    {
        Assert.Equal(
            new Filler("李大同", "06-2345678", "lee@x.org.tw"),
            FillerReader.Read("填寫人：李大同／０６－２３４５６７８／ｌｅｅ＠ｘ．ｏｒｇ．ｔｗ"));
    }

    [Fact]
    public void Read_SpaceInsideChineseName_IsRemoved()
    {
        Assert.Equal("李大同", FillerReader.Read("填寫人：李 大同 / 06-2345678 / lee@x.org.tw")?.Name);
    }

    [Fact]
    public void Read_IdeographicSpaceInsideChineseName_IsRemoved()
    {
        Assert.Equal("李大同", FillerReader.Read("填寫人：李\u3000大同 / 06-2345678")?.Name);
    }

    [Fact]
    public void Read_LatinName_KeepsSpaces()
    {
        Assert.Equal("David Lee", FillerReader.Read("填寫人：David  Lee / 06-2345678 / lee@x.org.tw")?.Name);
    }

    [Fact]
    public void Read_FillerLabelThenLabelledLines_MergesFields()
    {
        string text = """
            填寫人：李大同
            聯絡電話：06-2345678
            電子郵件：lee@x.org.tw
            """;

        Assert.Equal(new Filler("李大同", "06-2345678", "lee@x.org.tw"), FillerReader.Read(text));
    }

    [Fact]
    public void Read_LabelledPairsOnOneLine_ReadsAllFields()
    {
        Assert.Equal(
            new Filler("李大同", "06-2345678", "lee@x.org.tw"),
            FillerReader.Read("姓名：李大同　電話：06-2345678　E-mail：lee@x.org.tw"));
    }

    [Theory]
    [InlineData("0912-345-678")]
    [InlineData("0912345678")]
    [InlineData("02-2345-6789")]
    [InlineData("(06)2345678")]
    [InlineData("(06) 234-5678")]
    [InlineData("06-2345678 ext. 123")]
    [InlineData("06-2345678 分機 123")]
    [InlineData("049-2345678")]
    public void Read_PhoneFormats_AreRecognised(string phone)
    {
        Assert.Equal(phone, FillerReader.Read($"填寫人：李大同 / {phone} / lee@x.org.tw")?.Phone);
    }

    [Fact]
    public void Read_PaperFormTemplate_ReturnsNull()
    {
        Assert.Null(FillerReader.Read(PaperFormTemplate));
    }

    [Fact]
    public void Read_PlaceholderNameOfCirclesOnly_GivesNullName()
    {
        Filler? filler = FillerReader.Read("填寫人：○○○ / 06-2345678 / lee@x.org.tw");
        Assert.Equal(new Filler(null, "06-2345678", "lee@x.org.tw"), filler);
    }

    [Fact]
    public void Read_MaskedEmail_GivesNullEmail()
    {
        Filler? filler = FillerReader.Read("填寫人：李大同 / 06-2345678 / ********** @ *******.org.tw");
        Assert.Equal(new Filler("李大同", "06-2345678", null), filler);
    }

    [Fact]
    public void Read_TemplateFollowedByFilledRow_ReadsFilledRow()
    {
        string text = PaperFormTemplate + "\n\n填寫人：陳美玲 / 06-2991234 / chen@farm.org.tw";
        Assert.Equal(new Filler("陳美玲", "06-2991234", "chen@farm.org.tw"), FillerReader.Read(text));
    }

    [Fact]
    public void Read_CentreContactRowOnly_ReturnsNull()
    {
        string text = """
            主 管 機 關 聯 絡 窗 口
            服務單位/姓名/電話/電子郵件信箱
            臺南市政府智慧發展中心/王小明/06-2991111轉1234/wang@mail.tainan.gov.tw
            """;

        Assert.Null(FillerReader.Read(text));
    }

    [Fact]
    public void Read_QuotedLines_AreIgnored()
    {
        Assert.Null(FillerReader.Read("> 填寫人：李大同 / 06-2345678 / lee@x.org.tw"));
    }

    [Fact]
    public void Read_OnlyEmail_GivesOtherFieldsNull()
    {
        Assert.Equal(new Filler(null, null, "lee@x.org.tw"), FillerReader.Read("填寫人：lee@x.org.tw"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("您好，附件為改善單，請查收。")]
    [InlineData("（請改善對象（機關（構））填表人員填寫本項資料）")]
    public void Read_NoFiller_ReturnsNull(string text)
    {
        Assert.Null(FillerReader.Read(text));
    }
}
