using System.Security.Cryptography;
using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.EndToEnd.Tests.TestData;
using MimeKit;
using MimeKit.Tnef;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary>Evidence that sits inside an Outlook winmail.dat or inside a forwarded message is filed under its notice.</summary>
public sealed class OutlookEvidenceTests(ITestOutputHelper output) : EndToEndTest(output)
{
    [Fact]
    public async Task ReplyWithEvidenceInsideWinmailDat_FilesTheFilesInsideAndTheRawWinmailDat()
    {
        var reference = await ImportOrgsAndIssueNoticeAsync();
        var tnef = await File.ReadAllBytesAsync(Path.Combine(RepoPaths.CorpusDirectory(), "mimekit", "tnef", "two-files.tnef"));
        var reply = new MimeMessage { Subject = $"RE: {reference} 改善回覆", MessageId = $"winmail-{Guid.NewGuid():N}@org1.example.tw" };
        reply.From.Add(MailboxAddress.Parse("lee@org1.example.tw"));
        reply.To.Add(MailboxAddress.Parse("center@intake.test"));
        reply.Headers.Add("X-Mailer", "Microsoft Outlook 16.0");
        reply.Body = new Multipart("mixed")
        {
            new TextPart("plain") { Text = "佐證資料請見附件。" },
            new TnefPart { FileName = "winmail.dat", Content = new MimeContent(new MemoryStream(tnef)), ContentTransferEncoding = ContentEncoding.Base64 },
        };
        await Mailbox.AppendAsync(reply);

        await Cli.RunOnceAsync();

        var filed = Assert.Single((await Cli.ShowNoticeAsync(reference)).Replies);
        Assert.Equal("reference", filed.MatchedBy);
        Assert.Equal(["AUTHORS", "README", "winmail.dat"], filed.Evidence.Select(file => file.FileName).Order(StringComparer.Ordinal));
        var raw = filed.Evidence.Single(file => file.FileName == "winmail.dat");
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(tnef)), raw.Sha256);
        Assert.Equal(tnef.Length, raw.Size);
    }

    [Fact]
    public async Task ForwardedReply_IsMatchedByItsInnerReferenceAndItsAttachmentsAreFiled()
    {
        var reference = await ImportOrgsAndIssueNoticeAsync();
        var original = new MimeMessage { Subject = $"回覆：限期改善單 {reference}", MessageId = $"inner-{Guid.NewGuid():N}@org1.example.tw" };
        // The reply inside was sent from the organisation's registered address: that, not where the reference stands, vouches for it.
        original.From.Add(MailboxAddress.Parse("lee@org1.example.tw"));
        var inner = new BodyBuilder { TextBody = "防火牆規則與掃毒結果如附件。" };
        var firewall = RandomNumberGenerator.GetBytes(2048);
        inner.Attachments.Add("附件1_防火牆規則.pdf", firewall, ContentType.Parse("application/pdf"));
        original.Body = inner.ToMessageBody();
        var forward = new MimeMessage { Subject = "FW: 轉寄", MessageId = $"forward-{Guid.NewGuid():N}@someone.example" };
        forward.From.Add(MailboxAddress.Parse("colleague@someone.example"));
        forward.To.Add(MailboxAddress.Parse("center@intake.test"));
        forward.Body = new Multipart("mixed") { new TextPart("plain") { Text = "轉寄資訊人員的回覆。" }, new MessagePart { Message = original } };
        await Mailbox.AppendAsync(forward);

        await Cli.RunOnceAsync();

        var filed = Assert.Single((await Cli.ShowNoticeAsync(reference)).Replies);
        Assert.Equal("reference", filed.MatchedBy);
        var evidence = Assert.Single(filed.Evidence);
        Assert.Equal(("附件1_防火牆規則.pdf", (int?)1, Convert.ToHexStringLower(SHA256.HashData(firewall))), (evidence.FileName, evidence.Item, evidence.Sha256));
    }
}
