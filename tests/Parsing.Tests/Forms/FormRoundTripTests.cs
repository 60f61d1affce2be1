namespace MailIntake.Parsing.Tests.Forms;

/// <summary>Filled forms in each format, extracted and read: what staff will see recorded.</summary>
public class FormRoundTripTests
{
    private static readonly string[] Filled =
    [
        "填寫人",
        "姓名：李大同　電話：06-2345678　郵件信箱：lee@org1.example.tw",
        "公文電子交換系統限期改善單　編號：TN-115-0001",
        "本用戶已於115年12月01日完成以下改善事項：",
        "1. 已由防火牆設定阻擋規則。",
        "2. 已完成掃毒。",
        "佐證資料",
    ];

    [Fact]
    public void ReadExtractedText_FilledDocx_ReturnsReferenceAnswersFillerAndDate()
    {
        AssertFilledForm(Read("reply.docx", TestDocuments.Docx(Filled)));
    }

    [Fact]
    public void ReadExtractedText_FilledOdt_ReturnsReferenceAnswersFillerAndDate()
    {
        AssertFilledForm(Read("reply.odt", TestDocuments.Odt(Filled)));
    }

    [Fact]
    public void ReadExtractedText_AsciiPdf_ReturnsReferenceAndFillerEmail()
    {
        // The PDF standard fonts carry no CJK glyphs; the Chinese PDF round trip is a Worker test
        // that lets LibreOffice print the real form.
        var pdf = TestDocuments.Pdf(1,
            "Limited improvement notice TN-115-0001",
            "E-mail: lee@org1.example.tw",
            "1. Firewall rule added.");

        var form = Read("reply.pdf", pdf);

        Assert.Equal(["TN-115-0001"], form.References);
        Assert.Equal("lee@org1.example.tw", form.Filler?.Email);
    }

    private static ReturnedForm Read(string name, byte[] data)
    {
        var text = FormTextExtractor.ExtractText(name, new MemoryStream(data));
        Assert.NotNull(text);
        var form = ReturnedFormReader.Read(text);
        Assert.NotNull(form);
        return form;
    }

    private static void AssertFilledForm(ReturnedForm form)
    {
        Assert.Equal(["TN-115-0001"], form.References);
        Assert.Equal([new ItemAnswer(1, "已由防火牆設定阻擋規則。"), new ItemAnswer(2, "已完成掃毒。")], form.ItemAnswers);
        Assert.Equal(new Filler("李大同", "06-2345678", "lee@org1.example.tw"), form.Filler);
        Assert.Equal(new DateOnly(2026, 12, 1), form.CompletedOn);
    }
}
