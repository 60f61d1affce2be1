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
    /// Finding h10x #11: the organisation wrote the form's answers into its mail instead of the file; the receipt took the
    /// filler and date from the body yet asked for the four answers again. And a 31-byte text file merely named
    /// 限期改善單_已蓋章.pdf counted as the stamped form.
    /// </summary>
    [Fact]
    public async Task ReplyWithAnswersInTheBodyAndATextFileNamedAsTheStampedForm_ReceiptTakesTheAnswersAndStillAsksForTheForm()
    {
        await Cli.ImportOrgsAsync(OrganisationsCsv);
        var reference = await IssueAsync(ProgramToday.AddDays(14), send: true);
        await Cli.RunOnceAsync();
        await Delivered.WaitForAsync(Org1Address, 1, "the notice");
        var body = $"填寫人：王三\n電話：06-1111222\n電子郵件：{Org1Address}\n本用戶已於115年12月1日完成以下改善事項：\n1. 係中毒\n2. 已掃毒\n3. 無感染\n4. 配合";

        await Mailbox.AppendAsync(Reply(Org1Address, $"RE: {reference} 回覆", body, "附件1.txt", "附件2.txt", "附件3.txt", "附件4.txt", "限期改善單_已蓋章.pdf"));
        await Cli.RunOnceAsync();

        var receipt = Single(await Delivered.WaitForAsync(Org1Address, 2, "the notice and the receipt"), "收件回執");
        AssertBodiesContain(receipt, "the receipt", "處理情形與說明：改善事項1、2、3、4", "蓋印信之限期改善單");
        AssertBodiesLack(receipt, "the receipt", "之處理情形與說明", "限期改善單表單：已附");
        var shown = await Cli.RunOkAsync("notice", "show", reference);
        Assert.True(shown.Contains("係中毒", StringComparison.Ordinal) && shown.Contains("配合", StringComparison.Ordinal), $"notice show gives the answers written in the mail:\n{shown}");
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
        // h10y #5: the subject is 「hello」; only the attached message names the notice — staff are told so, not that the subject does.
        Assert.True(mail.Reason!.Contains($"所附（轉寄）之郵件提及限期改善單 {reference}（主旨並未提及）", StringComparison.Ordinal) && !mail.Reason.Contains("主旨提及", StringComparison.Ordinal),
            $"the reason must say the attached message names the notice, not the subject: {Dump(mail)}");
        var note = Single(await Delivered.WaitForAsync(StaffAddress, 1, "the staff note"), "待處理郵件");
        AssertBodiesContain(note, "the staff note", "所附（轉寄）之郵件提及限期改善單");
        AssertBodiesLack(note, "the staff note", "主旨提及");
    }

    /// <summary>
    /// Finding #6: a scan-to-mail copier or a mass-mail gateway stamps Precedence: bulk or Auto-Submitted: auto-generated on
    /// a person's reply; it was taken for an auto-reply, its files never filed, and the 7-day reminder then said no reply came.
    /// </summary>
    [Theory]
    [InlineData("Precedence", "bulk")]
    [InlineData("Auto-Submitted", "auto-generated")]
    public async Task ReplyFromRegisteredAddressWithFilesAndAMachineHeader_IsFiledAndReceipted(string header, string value)
    {
        await Cli.ImportOrgsAsync(OrganisationsCsv);
        var reference = await IssueAsync(ProgramToday.AddDays(14), send: true);
        await Cli.RunOnceAsync();
        await Delivered.WaitForAsync(Org1Address, 1, "the notice");
        var reply = Reply(Org1Address, $"RE: 【限期改善單】{reference} {Orgs.TestGuild} 回覆", "填寫人：李大同\n電話：06-12345678\n檢附改善單及佐證",
            $"限期改善單_{reference}.txt", "附件1.txt", "附件2.txt");
        reply.Headers.Add(header, value);

        await Mailbox.AppendAsync(reply);
        await Cli.RunOnceAsync();

        var mail = Assert.Single(await Cli.ListMailAsync());
        Assert.True(mail is { Kind: "reply" } && mail.NoticeRef == reference, $"filed as the notice's reply: {Dump(mail)}");
        var notice = await Cli.ShowNoticeAsync(reference);
        Assert.True(notice.Replies.Count == 1 && notice.Replies[0].Evidence.Count == 3 && notice.Status == "replied", $"the reply and its three files: {Dump(notice)}");
        var receipt = Single(await Delivered.WaitForAsync(Org1Address, 2, "the notice and the receipt"), "收件回執");
        AssertBodiesContain(receipt, "the receipt", "附件1.txt", "附件2.txt");
    }

    /// <summary>Finding #6b: a small organisation registered with postmaster@ replied; the reply was taken for a bounce and lost.</summary>
    [Fact]
    public async Task ReplyFromTheOrganisationsRegisteredPostmasterAddress_IsFiled()
    {
        var postmaster = $"postmaster@org6-{Tag}.example.tw";
        await Cli.ImportOrgsAsync($"code,name,email,phone,contact\n{Orgs.TestGuild},{Orgs.TestGuildName},{postmaster},06-2345678,李大同\n");
        var reference = await IssueAsync(ProgramToday.AddDays(14), send: false);

        await Mailbox.AppendAsync(Reply(postmaster, $"RE: 【限期改善單】{reference} {Orgs.TestGuild} 回覆", "填寫人：甲", "附件1.txt"));
        await Cli.RunOnceAsync();

        var mail = Assert.Single(await Cli.ListMailAsync());
        Assert.True(mail is { Kind: "reply" } && mail.NoticeRef == reference, $"filed as the notice's reply, not a bounce: {Dump(mail)}");
        Assert.Single((await Cli.ShowNoticeAsync(reference)).Replies);
    }

    /// <summary>
    /// Finding #6, in any case: an automatic mail (here an out-of-office) naming a notice and carrying files is held for staff —
    /// in their note, with its files kept — and staff can assign it, its files filed under the notice.
    /// </summary>
    [Fact]
    public async Task AutoReplyNamingTheNoticeWithFiles_IsHeldForStaffAndAssignableWithItsFiles()
    {
        await Cli.ImportOrgsAsync(OrganisationsCsv);
        var reference = await IssueAsync(ProgramToday.AddDays(14), send: true);
        await Cli.RunOnceAsync();
        await Delivered.WaitForAsync(Org1Address, 1, "the notice");
        var reply = Reply(Org1Address, $"自動回覆: RE: {reference}", "我目前休假中。附上貴中心所需資料。", "附件1.txt");
        reply.Headers.Add("Auto-Submitted", "auto-replied");

        await Mailbox.AppendAsync(reply);
        await Cli.RunOnceAsync();

        var mail = Assert.Single(await Cli.ListMailAsync());
        Assert.True(mail is { Kind: "unmatched", NoticeRef: null } && (mail.Reason ?? "").Contains(reference, StringComparison.Ordinal),
            $"held for staff, naming the notice: {Dump(mail)}");
        var note = Single(await Delivered.WaitForAsync(StaffAddress, 1, "the staff note"), "待處理郵件");
        AssertBodiesContain(note, "the staff note", reference);
        await Cli.RunOkAsync("mail", "assign", mail.MailId, reference);
        var filed = Assert.Single((await Cli.ShowNoticeAsync(reference)).Replies);
        Assert.True(filed.Evidence.Count == 1 && filed.Evidence[0].Item == 1, $"its file filed as 附件1: {Dump(filed)}");
    }
}
