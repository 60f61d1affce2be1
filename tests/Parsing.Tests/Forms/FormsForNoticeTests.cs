using MimeKit;

namespace MailIntake.Parsing.Tests.Forms;

/// <summary>h10x #17 and #25: another notice's form, or our own blank form sent back, is not this notice's returned form.</summary>
public class FormsForNoticeTests
{
    private static ParsedMail Mail(string body, string fileName, params string[] formLines)
    {
        var message = new MimeMessage { Subject = "回覆 TN-115-0002" };
        message.From.Add(MailboxAddress.Parse("org3@intake.test"));
        var builder = new BodyBuilder { TextBody = body };
        builder.Attachments.Add(fileName, TestDocuments.Docx(formLines));
        message.Body = builder.ToMessageBody();
        return MailReader.Read(message);
    }

    [Fact]
    public void Of_FormOfAnotherNotice_IsSetAsideWithItsAnswersFillerAndDate()
    {
        var mail = Mail("檢送表單", "filled.docx",
            "公文電子交換系統限期改善單　編號：TN-115-0001", "姓名：張小華　電話：06-7654321　郵件信箱：chang@org2.example.tw",
            "本用戶已於115年12月01日完成以下改善事項：", "1. 已阻擋。", "2. 已掃毒。");

        var counted = FormsForNotice.Of(mail, "TN-115-0002");

        Assert.Single(mail.Forms);
        Assert.Empty(counted.Mail.Forms);
        Assert.Equal(["TN-115-0001"], counted.OtherReferences);
        Assert.Null(counted.Mail.Filler);
        Assert.Null(counted.Mail.CompletedOn);
        Assert.True(counted.Mail.Attachments.Single().SetAsideForm);
    }

    [Fact]
    public void Of_BlankFormOfThisNotice_IsSetAsideAsBlank()
    {
        var mail = Mail("回覆", "限期改善單_TN-115-0002.docx",
            "公文電子交換系統限期改善單　編號：TN-115-0002", "姓名：　電話：　郵件信箱：", "本用戶已於　年　月　日完成以下改善事項：", "1.", "2.");

        var counted = FormsForNotice.Of(mail, "TN-115-0002");

        Assert.Equal(1, counted.BlankForms);
        Assert.Empty(counted.Mail.Forms);
        Assert.True(counted.Mail.Attachments.Single().SetAsideForm);
    }

    [Fact]
    public void Of_FilledFormOfThisNoticeWithTheFillerInTheBody_KeepsBoth()
    {
        var mail = Mail("填寫人：李大同", "限期改善單_TN-115-0002.docx",
            "公文電子交換系統限期改善單　編號：TN-115-0002", "本用戶已於115年12月01日完成以下改善事項：", "1. 已阻擋。");

        var counted = FormsForNotice.Of(mail, "TN-115-0002");

        Assert.Same(mail, counted.Mail);
        Assert.Single(counted.Mail.Forms);
        Assert.Equal("李大同", counted.Mail.Filler?.Name);
        Assert.Equal(new DateOnly(2026, 12, 1), counted.Mail.CompletedOn);
    }
}
