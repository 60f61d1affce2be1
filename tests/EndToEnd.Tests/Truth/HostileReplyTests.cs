using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.EndToEnd.Tests.TestData;
using MimeKit;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests.Truth;

/// <summary>
/// Hostile try h10x of the notice's life: replies that were lost, stuck or filed where they do not belong. Each scenario
/// goes through the real Dovecot and Postfix and checks what the organisation is told.
/// </summary>
public sealed class HostileReplyTests(ITestOutputHelper output) : TruthTest(output)
{
    private string OrganisationsCsv =>
        "code,name,email,phone,contact\n" +
        $"{Orgs.TestGuild},{Orgs.TestGuildName},{Org1Address},06-2345678,李大同\n" +
        $"{Orgs.SecondOrg},台南市第二測試協會,{Org2Address},06-7654321,陳小明\n";

    /// <summary>Finding #13: 1911年12月31日 crashed the receipt's date formatting; the reply stayed failed forever and was never filed.</summary>
    [Fact]
    public async Task ReplyWithCompletionDateBefore1912_IsFiledAndItsReceiptSaysTheDateIsUnreadable()
    {
        await Cli.ImportOrgsAsync(OrganisationsCsv);
        var reference = await IssueAsync(ProgramToday.AddDays(14), send: true);
        await Cli.RunOnceAsync();
        await Delivered.WaitForAsync(Org1Address, 1, "the notice");

        await Mailbox.AppendAsync(Reply(Org1Address, $"RE: {reference} 回覆", "填寫人：李大同\n本用戶已於1911年12月31日完成以下改善事項", "附件1_防火牆.txt"));
        await Cli.RunOnceAsync();

        var mail = Assert.Single(await Cli.ListMailAsync());
        Assert.True(mail is { Kind: "reply" } && mail.NoticeRef == reference, $"filed as the notice's reply, not failed: {Dump(mail)}");
        var notice = await Cli.ShowNoticeAsync(reference);
        Assert.True(notice.Replies.Count == 1 && notice.Replies[0].CompletedOn is null, $"one reply, no date taken as fact: {Dump(notice.Replies)}");
        var receipt = Single(await Delivered.WaitForAsync(Org1Address, 2, "the notice and the receipt"), "收件回執");
        AssertBodiesContain(receipt, "the receipt", "貴單位填寫「1911年12月31日」，無法辨識為日期", "附件1_防火牆.txt");
        AssertBodiesLack(receipt, "the receipt", "Exception", "ROC years");
    }

    /// <summary>
    /// Finding #20: a stranger attaching a message/rfc822 that names the reference got its file filed as the organisation's
    /// 附件2 and a receipt telling it the organisation's open items. The held-for-staff rule applies wherever the reference stands.
    /// </summary>
    [Fact]
    public async Task StrangersMailNamingTheReferenceOnlyInAnAttachedMessage_IsHeldNeverFiledNorReceipted()
    {
        await Cli.ImportOrgsAsync(OrganisationsCsv);
        var reference = await IssueAsync(ProgramToday.AddDays(14), send: true);
        await Cli.RunOnceAsync();
        await Delivered.WaitForAsync(Org1Address, 1, "the notice");
        var stranger = $"staff+evil-{Tag}@{MailStack.Settings.Domain}"; // registered nowhere; delivered to staff's INBOX
        var inner = Reply(stranger, reference, "x", "附件2.exe");
        var wrapper = new MimeMessage { Subject = "hello", MessageId = $"wrap-{Guid.NewGuid():N}@evil.example" };
        wrapper.From.Add(MailboxAddress.Parse(stranger));
        wrapper.To.Add(MailboxAddress.Parse("center@intake.test"));
        wrapper.Body = new Multipart("mixed") { new TextPart("plain") { Text = "x" }, new MessagePart { Message = inner } };

        await Mailbox.AppendAsync(wrapper);
        await Cli.RunOnceAsync();

        var mail = Assert.Single(await Cli.ListMailAsync());
        Assert.True(mail is { Kind: "ambiguous", NoticeRef: null } && (mail.Reason ?? "").Contains("並非該機關", StringComparison.Ordinal),
            $"held for staff: {Dump(mail)}");
        var notice = await Cli.ShowNoticeAsync(reference);
        Assert.True(notice.Replies.Count == 0 && notice.Status == "issued", $"nothing filed under {reference}: {Dump(notice)}");
        await SettledCountAsync(stranger, "收件回執", expected: 0, "receipts to the stranger");
    }
}
