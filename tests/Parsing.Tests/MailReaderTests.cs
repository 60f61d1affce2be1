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

    [Theory]
    [InlineData("\"陳功\" <Org1@Intake.test>")] // the Big5 trail byte 0x5C of 功 escapes the closing quote
    [InlineData("許功蓋 <org1@intake.test>")]       // unquoted, every character ends in 0x5C
    [InlineData("李大同 (總務 <org1@intake.test>")]  // a comment that never closes
    public void Read_RawBig5FromMimeKitCannotParse_KeepsTheAngleBracketedAddress(string from)
    {
        var raw = Concat("From: "u8.ToArray(), System.Text.Encoding.GetEncoding(950).GetBytes(from), "\r\nTo: center@intake.test\r\nSubject: x\r\n\r\nbody\r\n"u8.ToArray());
        var message = MailParserOptions.Load(new MemoryStream(raw));
        Assert.Empty(message.From.Mailboxes); // what MimeKit makes of it: no sender at all

        Assert.Equal("org1@intake.test", MailReader.Read(message).FromAddress);
    }

    [Theory]
    [InlineData("no address at all")]
    [InlineData("\"x\\\" <not an address>")]
    public void Read_FromWithoutAnyAddress_HasNoSender(string from)
    {
        var raw = Concat("From: "u8.ToArray(), System.Text.Encoding.UTF8.GetBytes(from), "\r\nSubject: x\r\n\r\nbody\r\n"u8.ToArray());

        Assert.Null(MailReader.Read(MailParserOptions.Load(new MemoryStream(raw))).FromAddress);
    }

    [Theory]
    [InlineData("=?utf-8?b?5ZGo5b+X5piOIDxhbHBoYUBleGFtcGxlLm9yZz4=?=")]          // 周志明 <alpha@example.org>, one word
    [InlineData("=?UTF-8?B?5ZGo5b+X5piOIDxBbHBoYUBFeGFtcGxlLm9yZz4=?=")]          // upper-case address inside
    [InlineData("=?utf-8?q?=E5=91=A8=E5=BF=97=E6=98=8E_=3Calpha=40example=2Eorg=3E?=")]
    public void Read_FromThatIsOneEncodedWordCoveringNameAndAddress_DecodesTheAddress(string from)
    {
        var raw = Concat("From: "u8.ToArray(), System.Text.Encoding.ASCII.GetBytes(from), "\r\nTo: center@intake.test\r\nSubject: x\r\n\r\nbody\r\n"u8.ToArray());

        Assert.Equal("alpha@example.org", MailReader.Read(MailParserOptions.Load(new MemoryStream(raw))).FromAddress);
    }

    [Theory]
    [InlineData("=?utf-8?b?5ZGo5b+X5piO?=")]   // 周志明, a name and no address
    [InlineData("alpha")]                      // a local part alone
    [InlineData("<@example.org>")]
    public void Read_FromWhoseAddressIsNoAddress_HasNoSender(string from)
    {
        var raw = Concat("From: "u8.ToArray(), System.Text.Encoding.ASCII.GetBytes(from), "\r\nSubject: x\r\n\r\nbody\r\n"u8.ToArray());

        Assert.Null(MailReader.Read(MailParserOptions.Load(new MemoryStream(raw))).FromAddress);
    }

    [Fact]
    public void Read_AnswersWrittenInTheBody_AreBodyAnswersAndQuotedOnesAreNot()
    {
        var body = "填寫人：王三\n本用戶已於115年12月6日完成以下改善事項：\n1. 係中毒\n2. 已掃毒\n\n> 本用戶已於115年12月1日完成以下改善事項：\n> 3. 舊回覆之答案\n";
        var raw = Concat("From: org3@intake.test\r\nSubject: x\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"u8.ToArray(), System.Text.Encoding.UTF8.GetBytes(body));

        var parsed = MailReader.Read(MailParserOptions.Load(new MemoryStream(raw)));

        Assert.Equal([new ItemAnswer(1, "係中毒"), new ItemAnswer(2, "已掃毒")], parsed.BodyAnswers);
    }

    [Fact]
    public void Read_BodyWithoutTheFormsSentence_HasNoBodyAnswers()
    {
        var raw = "From: org3@intake.test\r\nSubject: x\r\n\r\n1. first\r\n2. second\r\n"u8.ToArray();

        Assert.Empty(MailReader.Read(MailParserOptions.Load(new MemoryStream(raw))).BodyAnswers);
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(part => part).ToArray();
}
