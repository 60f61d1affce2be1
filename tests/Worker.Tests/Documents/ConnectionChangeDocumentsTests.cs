using MailIntake.Worker.Documents;

namespace MailIntake.Worker.Tests.Documents;

/// <summary>
/// The 連線異動表 the Archives get on a suspension (seed form: 填寫連線異動表附上限期改善單至檔案管理局), as Word and
/// OpenDocument: both open in LibreOffice and read back with every field.
/// </summary>
public sealed class ConnectionChangeDocumentsTests
{
    private static readonly ConnectionChangeForm Form = new(
        Reference: "TN-115-0001",
        OrgCode: "XC12345678",
        OrgName: "台南市示範公會",
        OrgContact: "李大同",
        OrgPhone: "06-2345678",
        OrgEmails: ["lee@org1.example.tw", "it@org1.example.tw"],
        FiledOn: new DateOnly(2027, 1, 11),
        NotifiedOn: new DateOnly(2027, 1, 11),
        SuspendFrom: new DateOnly(2027, 1, 18),
        Reason: "用戶電腦（IP：123.123.123.123）連線惡意 IP（45.67.89.10），經第 3 次追蹤評估仍未完成改善",
        LegalBasis: "公文電子交換系統資訊安全管理規範第十二點（第一項第二款）。",
        CenterName: "臺南市政府智慧發展中心",
        CenterUnit: "臺南市政府智慧發展中心資訊安全科",
        CenterContactName: "王承辦",
        CenterPhone: "06-2991111轉1234",
        CenterEmail: "sdc-security@mail.tainan.gov.tw");

    public static TheoryData<string> Formats => [".docx", ".odt"];

    [Theory]
    [MemberData(nameof(Formats))]
    public void Create_ConvertedByLibreOffice_ReadsBackEveryField(string extension)
    {
        using var work = new TempDirectory();
        var document = extension == ".docx" ? ConnectionChangeDocuments.Docx(Form) : ConnectionChangeDocuments.Odt(Form);

        var letters = PdfTextOf.Letters(LibreOffice.ConvertToPdf(document, extension, work.Path));

        Assert.StartsWith("公文電子交換系統連線異動表", letters, StringComparison.Ordinal);
        foreach (var expected in new[]
        {
            "填表日期：中華民國116年1月11日",
            "限期改善單編號：TN-115-0001",
            "機關（構）代碼XC12345678",
            "機關（構）名稱台南市示範公會",
            "異動類別■中止交換服務",
            "生效日期自中華民國116年1月18日起中止交換服務。",
            "異動原因用戶電腦（IP：123.123.123.123）連線惡意IP（45.67.89.10），經第3次追蹤評估仍未完成改善。",
            "已於中華民國116年1月11日通知改善機關",
            "李大同/06-2345678/lee@org1.example.tw;it@org1.example.tw",
            "法令依據公文電子交換系統資訊安全管理規範第十二點（第一項第二款）。",
            "臺南市政府智慧發展中心資訊安全科/王承辦/06-2991111轉1234/sdc-security@mail.tainan.gov.tw",
            "公文電子交換系統限期改善單（TN-115-0001",
            "追蹤評估表",
        })
        {
            Assert.True(letters.Contains(expected.Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal),
                $"the {extension} 連線異動表 must read 「{expected}」:\n{letters}");
        }

        Assert.Equal(1, ExportText.Boxes(letters));
    }

    [Fact]
    public void Odt_Package_StartsWithTheStoredMimetypeAsOpenDocumentRequires()
    {
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(ConnectionChangeDocuments.Odt(Form)));

        var first = zip.Entries[0];

        Assert.Equal("mimetype", first.FullName);
        Assert.Equal(first.Length, first.CompressedLength);
        using var reader = new StreamReader(first.Open());
        Assert.Equal("application/vnd.oasis.opendocument.text", reader.ReadToEnd());
    }
}
