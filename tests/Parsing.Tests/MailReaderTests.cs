namespace MailIntake.Parsing.Tests;

public sealed class MailReaderTests
{
    private static string Sample(string name)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "MailIntake.sln")))
        {
            directory = directory.Parent;
        }

        return Path.Combine(directory?.FullName ?? throw new InvalidOperationException("MailIntake.sln not found above " + AppContext.BaseDirectory), "samples", "replies", name);
    }

    [Fact]
    public void Read_Big5OutlookReply_DecodesNamesBodyFillerAndDate()
    {
        using var stream = File.OpenRead(Sample("01-big5-outlook-reply.eml"));
        var parsed = MailReader.Read(MailParserOptions.Load(stream));

        Assert.Equal("lee@org1.example.tw", parsed.FromAddress);
        Assert.Equal("回覆：限期改善單 XC12345678 改善情形", parsed.Subject);
        Assert.Equal(["附件1_防火牆阻擋規則.txt", "附件2 防毒掃描結果.txt", "附件三_公文文號清單.csv", "附件４掃描結果.txt"], parsed.Attachments.Select(a => a.Name.FileName));
        Assert.Equal([1, 2, 3, 4], parsed.Attachments.Select(a => a.Name.Item));
        Assert.Equal(new Filler("李大同", "06-2345678", "lee@org1.example.tw"), parsed.Filler);
        Assert.Equal(new DateOnly(2026, 12, 1), parsed.CompletedOn);
    }
}
