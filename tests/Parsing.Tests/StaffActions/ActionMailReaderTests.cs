using MailIntake.Parsing.StaffActions;
using MimeKit;

namespace MailIntake.Parsing.Tests.StaffActions;

/// <summary>Mails as Outlook and webmail send them back from an action link (tests/Parsing.Tests/StaffActions/Messages).</summary>
public sealed class ActionMailReaderTests
{
    private const string ConfirmToken = "mi1.cr.42.tbx4k0.abcdefgh.abcdefghijklmnopqrstuvwxyz";
    private const string ExtendToken = "mi1.fe.7.tbx4k0.bcdefghi.bcdefghijklmnopqrstuvwxyza";

    private static ActionMail ReadSample(string name)
    {
        using var stream = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "StaffActions", "Messages", name));
        return ActionMailReader.Read(MailParserOptions.Load(stream));
    }

    [Fact]
    public void Read_OutlookPlainTextBig5_FindsTheTokenAndTheEditedLinesNotTheSignature()
    {
        var mail = ReadSample("01-outlook-plain-big5.eml");

        Assert.Equal([ConfirmToken], mail.Tokens);
        Assert.Equal("王小明", mail.Value("確認人"));
        Assert.Equal("已與李先生通話，確認已完成掃毒", mail.Value("備註"));
        Assert.Null(mail.Value("臺南市政府智慧發展中心"));
    }

    [Fact]
    public void Read_OutlookHtmlOnlyReply_TakesTheMembersOwnLinesAndTheTokenFromTheQuotedOriginal()
    {
        var mail = ReadSample("02-outlook-html-only-reply-to-refusal.eml");

        Assert.Equal([ExtendToken], mail.Tokens);
        // The corrected lines on top win over the refused ones in the quoted original.
        Assert.Equal("１１５年１２月３１日", mail.Value("新改善期限"));
        Assert.Equal("機關申請展延，已同意", mail.Value("說明"));
        Assert.Contains(mail.Fields, field => field is { Label: "新改善期限", Value: "115/13/45", Quoted: true });
        // Outlook's reply header is quoted text, not the member's own fields.
        Assert.Contains(mail.Fields, field => field is { Label: "寄件者", Quoted: true });
    }

    [Fact]
    public void Read_WebmailQuotedWithLf_JoinsAMultiLineNoteAndFindsTheQuotedToken()
    {
        var mail = ReadSample("03-webmail-quoted-lf.eml");

        Assert.Equal([ExtendToken], mail.Tokens);
        Assert.Equal("115/12/31", mail.Value("新改善期限"));
        Assert.Equal("機關申請展延\n至 12 月底", mail.Value("說明"));
    }

    [Fact]
    public void Read_HtmlOnlyWithEachLineItsOwnParagraph_KeepsEveryLineOfAMultiLineValue()
    {
        const string Html = "<html><body><div class=WordSection1>\r\n"
                            + "<p class=MsoNormal>機關代碼：XC12345678<o:p></o:p></p>\r\n"
                            + "<p class=MsoNormal>改善事項：<script>alert(1)</script>移除惡意程式<o:p></o:p></p>\r\n"
                            + "<p class=MsoNormal><img src=\"x.png\"> 更新防毒 &amp; 重設密碼<o:p></o:p></p>\r\n"
                            + "<p class=MsoNormal><o:p>&nbsp;</o:p></p>\r\n"
                            + "<p class=MsoNormal>王小明<o:p></o:p></p>\r\n"
                            + "<p class=MsoNormal>動作識別碼：" + ExtendToken + "<o:p></o:p></p></div></body></html>";

        var mail = ActionMailReader.Read("開立限期改善單", text: null, Html);

        Assert.Equal("XC12345678", mail.Value("機關代碼"));
        // Paragraph to paragraph is one line break; the blank (&nbsp;) paragraph ends the value before the signature.
        Assert.Equal("移除惡意程式\n更新防毒 & 重設密碼", mail.Value("改善事項"));
    }

    [Fact]
    public void Read_ReplyQuotingTwoLinks_ReportsBothTokens()
    {
        var mail = ReadSample("04-two-tokens-quoted.eml");

        Assert.Equal([ConfirmToken, ExtendToken], mail.Tokens);
    }

    [Fact]
    public void Read_CrOnlyTextAndFullWidthToken_FoldsTheTokenAndSpacedLabels()
    {
        var mail = ReadSample("05-alternative-cr-fullwidth-token.eml");

        Assert.Equal([ConfirmToken], mail.Tokens);
        Assert.Equal("陳 大 文", mail.Value("確認人"));
        Assert.Equal(string.Empty, mail.Value("備註"));
    }

    [Fact]
    public void Read_OrganisationReplyWithoutToken_HasNoToken()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(directory!.FullName, "MailIntake.sln")))
        {
            directory = directory.Parent;
        }

        using var stream = File.OpenRead(Path.Combine(directory.FullName, "samples", "replies", "01-big5-outlook-reply.eml"));
        Assert.False(ActionMailReader.Read(MailParserOptions.Load(stream)).HasToken);
    }

    [Theory]
    [InlineData("確認人：王小明\r\n備註：\r\n動作識別碼：" + ConfirmToken + "\r\n")]
    [InlineData("確認人：王小明\n備註：\n動作識別碼：" + ConfirmToken + "\n")]
    [InlineData("> 確認人：王小明\n> 備註：\n> 動作識別碼：" + ConfirmToken + "\n")]
    [InlineData(">> 確認人 : 王小明\n>>備註:\n>> 動作識別碼 : " + ConfirmToken + "\n")]
    [InlineData("確認人﹕王小明\n")] // a small-form colon is not a colon: no field
    public void Read_LineEndingsAndQuoting_ReadTheSameName(string body)
    {
        var mail = ActionMailReader.Read("", body, null);

        if (body.Contains('﹕'))
        {
            Assert.Null(mail.Value("確認人"));
            return;
        }

        Assert.Equal("王小明", mail.Value("確認人"));
        Assert.Equal([ConfirmToken], mail.Tokens);
    }

    [Fact]
    public void Read_TokenOnlyInSubject_IsFound()
    {
        var mail = ActionMailReader.Read("【電話確認】TN-115-0001 " + ConfirmToken.ToUpperInvariant(), "確認人：王小明", null);

        Assert.Equal([ConfirmToken], mail.Tokens);
    }

    [Fact]
    public void Read_SameTokenInSubjectAndBody_CountsOnce()
    {
        var mail = ActionMailReader.Read(ConfirmToken, "動作識別碼：" + ConfirmToken.ToUpperInvariant(), "<p>" + ConfirmToken + "</p>");

        Assert.Equal([ConfirmToken], mail.Tokens);
    }

    [Fact]
    public void Read_TokenGluedToOtherText_IsNotAToken()
    {
        var mail = ActionMailReader.Read("", "x" + ConfirmToken + "x", null);

        Assert.Empty(mail.Tokens);
    }

    [Fact]
    public void Read_HtmlBlockquote_MarksItsLinesQuoted()
    {
        var mail = ActionMailReader.Read("", null, "<div>確認人：林小華</div><blockquote><div>確認人：王小明</div><div>" + ConfirmToken + "</div></blockquote>");

        Assert.Equal("林小華", mail.Value("確認人"));
        Assert.Contains(mail.Fields, field => field is { Label: "確認人", Value: "王小明", Quoted: true });
        Assert.Equal([ConfirmToken], mail.Tokens);
    }
}
