using System.Text;
using MailIntake.EndToEnd.Tests.Harness;
using MimeKit;
using MimeKit.Utils;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary>
/// h10z O: an organisation mailed its reply to a staff member's own mailbox, and the member forwarded it to the center.
/// It was set aside as the center's own traffic; after <c>mail assign</c> its files were still not kept, the filler not
/// read, and the "receipt" written to the organisation went to the member. Through the real Postfix and Dovecot.
/// </summary>
public sealed class StaffForwardTests(ITestOutputHelper output) : StaffActionTest(output)
{
    [Fact]
    public async Task ReplyForwardedAsAttachmentByAMember_IsFiledWithItsFileAndFillerAndReceiptedToTheOrganisation()
    {
        var (reference, _, _) = await IssueAndDeliverNoticeAsync();
        var inner = OrganisationMail($"回覆 {reference} 佐證資料", string.Empty);
        inner.Body = new Multipart("mixed") { new TextPart("plain") { Text = "填寫人：王三\n電話：06-1111222\n" }, File("附件1_安裝紀錄.txt") };

        await SendToCenterAsync(Forward($"FW: 回覆 {reference} 佐證資料", "機關寄到我的信箱，轉寄歸檔。", new MessagePart { Message = inner }));
        await Cli.RunOnceAsync();

        var mail = await MailWithSubjectAsync("FW: 回覆");
        Assert.True(mail.Kind == "reply" && mail.NoticeRef == reference, $"filed as the notice's reply: {Dump(mail)}");
        var reply = (await Cli.ShowNoticeAsync(reference)).Replies.Single();
        Assert.True(reply.Evidence.Any(file => file.FileName == "附件1_安裝紀錄.txt") && reply.Filler?.Name == "王三",
            $"the forwarded mail's file and filler are the reply's: {Dump(reply)}");
        var receipt = Assert.Single(await Delivered.WaitForAsync(Org1Address, 2, "the notice and the receipt"), m => (m.Subject ?? "").Contains("收件回執", StringComparison.Ordinal));
        AssertBodiesContain(receipt, "the receipt", "附件1_安裝紀錄.txt");
        Assert.DoesNotContain(await Delivered.ToAsync(StaffAddress), m => (m.Subject ?? "").Contains("收件回執", StringComparison.Ordinal));
    }

    [Fact]
    public async Task InlineForwardByAMember_KeepsItsFileAndAssignFilesItWithItsReceiptToTheOrganisationNotTheMember()
    {
        var (reference, _, _) = await IssueAndDeliverNoticeAsync();

        await SendToCenterAsync(Forward($"FW: 回覆 {reference} 佐證", $"-----Original Message-----\nFrom: 李大同 <{Org1Address}>\nSubject: 回覆 {reference} 佐證\n\n掃毒紀錄如附件。", File("附件2_掃毒.txt")));
        await Cli.RunOnceAsync();
        var mail = await MailWithSubjectAsync("FW: 回覆");
        Assert.True(mail.Kind == "unmatched", $"a member's own mail is not filed by itself: {Dump(mail)}");

        await Cli.RunOkAsync("mail", "assign", mail.MailId, reference);
        await Cli.RunOnceAsync();

        var notice = await Cli.ShowNoticeAsync(reference);
        var reply = Assert.Single(notice.Replies);
        Assert.True(reply.Evidence.Any(file => file.FileName == "附件2_掃毒.txt"), $"the assigned mail's file is filed as evidence: {Dump(reply)}");
        var receipt = Assert.Single(await Delivered.WaitForAsync(Org1Address, 2, "the notice and the receipt"), m => (m.Subject ?? "").Contains("收件回執", StringComparison.Ordinal));
        AssertBodiesContain(receipt, "the receipt", "附件2_掃毒.txt");
        Assert.DoesNotContain(await Delivered.ToAsync(StaffAddress), m => (m.Subject ?? "").Contains("收件回執", StringComparison.Ordinal));
    }

    private MimeMessage Forward(string subject, string text, MimeEntity forwarded)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(Encoding.UTF8, MemberName, StaffAddress));
        message.To.Add(MailboxAddress.Parse(CenterActionAddress));
        message.Headers.Replace(HeaderId.Subject, Encoding.UTF8, subject);
        message.Date = TestClock.Now;
        message.MessageId = MimeUtils.GenerateMessageId("intake.test");
        message.Body = new Multipart("mixed") { new TextPart("plain") { Text = text }, forwarded };
        return message;
    }

    private static MimePart File(string name) => new("text", "plain")
    {
        FileName = name,
        Content = new MimeContent(new MemoryStream(Encoding.UTF8.GetBytes($"{name} 之內容\r\n"))),
        ContentTransferEncoding = ContentEncoding.Base64,
    };
}
