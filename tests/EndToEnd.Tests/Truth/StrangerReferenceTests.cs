using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.EndToEnd.Tests.TestData;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests.Truth;

/// <summary>
/// References are sequential (TN-115-0001, -0002 …): a mail naming another organisation's notice, from a sender not
/// registered to that organisation and not answering its mail, is held for staff — never filed, never receipted.
/// </summary>
public sealed class StrangerReferenceTests(ITestOutputHelper output) : TruthTest(output)
{
    private string OrganisationsCsv =>
        "code,name,email,phone,contact\n" +
        $"{Orgs.TestGuild},{Orgs.TestGuildName},{Org1Address},06-2345678,李大同\n" +
        $"{Orgs.SecondOrg},台南市第二測試協會,{Org2Address},06-7654321,陳小明\n";

    [Fact]
    public async Task ReferenceOfAnotherOrganisationsNotice_IsSuspiciousWithNoReceiptAndStaffAreTold()
    {
        await Cli.ImportOrgsAsync(OrganisationsCsv);
        var reference = await IssueAsync(ProgramToday.AddDays(14), send: true);
        await Cli.RunOnceAsync();
        await Delivered.WaitForAsync(Org1Address, 1, "the notice");

        // Org2Address is registered to XC87654321 only; the notice belongs to XC12345678.
        await Mailbox.AppendAsync(Reply(Org2Address, $"RE: {reference}", "請查收", "附件1_防火牆.txt"));
        await Cli.RunOnceAsync();

        var mail = Assert.Single(await Cli.ListMailAsync());
        Assert.True(mail.Kind == "suspicious" && (mail.Reason ?? "").Contains(reference, StringComparison.Ordinal) && (mail.Reason ?? "").Contains(Orgs.SecondOrg, StringComparison.Ordinal),
            $"held as suspicious, the reason naming the notice and the sender's organisation: {Dump(mail)}");
        var notice = await Cli.ShowNoticeAsync(reference);
        Assert.True(notice.Replies.Count == 0 && notice.Status == "issued", $"nothing filed under {reference}: {Dump(notice)}");
        var note = Single(await Delivered.WaitForAsync(StaffAddress, 1, "the staff note"), "待處理郵件");
        AssertBodiesContain(note, "the staff note", reference, Orgs.SecondOrg);
        AssertBodiesLack(note, "the staff note", "mail assign");
        await SettledCountAsync(Org2Address, "收件回執", expected: 0, "receipts to the other organisation");
    }

    [Fact]
    public async Task ReferenceFromAnUnregisteredSenderOutsideTheThread_IsHeldWithNoReceipt_ThreadReplyFromTheSameAddressIsFiled()
    {
        await Cli.ImportOrgsAsync(OrganisationsCsv);
        var (reference, delivered, _) = await IssueAndDeliverAsync();
        var stranger = $"staff+stranger-{Tag}@{MailStack.Settings.Domain}"; // registered nowhere; delivered to staff's INBOX

        await Mailbox.AppendAsync(Reply(stranger, $"RE: {reference}", "請查收"));
        var answering = Reply(stranger, $"RE: {reference}", "同事轉寄後回覆");
        answering.InReplyTo = delivered;
        await Mailbox.AppendAsync(answering);
        await Cli.RunOnceAsync();

        var mails = await Cli.ListMailAsync();
        Assert.True(mails.Count == 2, $"two mails: {Dump(mails)}");
        Assert.True(mails[0] is { Kind: "ambiguous" } && (mails[0].Reason ?? "").Contains("並非該機關", StringComparison.Ordinal), $"the first is held: {Dump(mails[0])}");
        Assert.True(mails[1] is { Kind: "reply" } && mails[1].NoticeRef == reference, $"the one answering our mail is filed: {Dump(mails[1])}");
        var notice = await Cli.ShowNoticeAsync(reference);
        Assert.True(notice.Replies.Count == 1, $"one reply filed: {Dump(notice.Replies)}");
    }

    /// <summary>
    /// Hostile finding h19h H5: 「回覆 TN-115-0009」 from an unregistered address, naming a reference no notice has, was
    /// explained to staff as 「主旨無限期改善單編號」 — as if it named none. A mistyped reference is the likeliest case: the
    /// reason in <c>mail list</c>, the staff note and the digest names the reference and says it does not exist.
    /// </summary>
    [Fact]
    public async Task ReferenceNoNoticeHas_IsUnmatchedSayingTheReferenceDoesNotExist_InMailListTheNoteAndTheDigest()
    {
        await Cli.ImportOrgsAsync(OrganisationsCsv);
        var reference = await IssueAsync(ProgramToday.AddDays(14), send: true);
        await Cli.RunOnceAsync();
        await Delivered.WaitForAsync(Org1Address, 1, "the notice");
        var mistyped = reference[..^4] + "9009";
        var stranger = $"staff+stranger-{Tag}@{MailStack.Settings.Domain}"; // registered nowhere

        await Mailbox.AppendAsync(Reply(stranger, $"回覆 {mistyped}", "請查收", "附件1_防火牆.txt"));
        await Cli.RunOnceAsync();

        var said = $"主旨之限期改善單編號 {mistyped} 不存在（可能誤繕）";
        var mail = Assert.Single(await Cli.ListMailAsync());
        Assert.True(mail.Kind == "unmatched" && (mail.Reason ?? "").StartsWith(said, StringComparison.Ordinal), $"the reason names the reference: {Dump(mail)}");
        var note = Single(await Delivered.WaitForAsync(StaffAddress, 1, "the staff note"), "待處理郵件");
        AssertBodiesContain(note, "the staff note", said);
        AssertBodiesLack(note, "the staff note", "主旨無限期改善單編號");
        await RunJobAsync("digest", At(WorkingDayAfter(ProgramToday), "08:35"));
        var digest = Single(await Delivered.WaitForAsync(StaffAddress, 2, "the digest"), "每日摘要");
        AssertBodiesContain(digest, "the digest", said);
        AssertBodiesLack(digest, "the digest", "主旨無限期改善單編號");
    }

    /// <summary>
    /// h31h Q2: the organisation's own registered address writing 「回覆 TN-115-9019」 (mistyped; or a notice a restore
    /// lost) was filed by sender under its other open notice, which became 已回覆, and receipted as that notice's reply. It
    /// is held naming both; no receipt; the open notice still waits for its reply.
    /// </summary>
    [Fact]
    public async Task RegisteredSenderNamingAReferenceNoNoticeHas_IsHeldNotFiledUnderItsOtherNotice()
    {
        await Cli.ImportOrgsAsync(OrganisationsCsv);
        var reference = await IssueAsync(ProgramToday.AddDays(14), send: true);
        await Cli.RunOnceAsync();
        await Delivered.WaitForAsync(Org1Address, 1, "the notice");
        var mistyped = reference[..^4] + "9019";

        await Mailbox.AppendAsync(Reply(Org1Address, $"回覆 {mistyped} 已完成改善", "請查收", "附件1_防火牆.txt"));
        await Cli.RunOnceAsync();

        var mail = Assert.Single(await Cli.ListMailAsync());
        Assert.True(mail.Kind == "unmatched" && mail.NoticeRef is null, $"held, not filed: {Dump(mail)}");
        Assert.Contains($"主旨之限期改善單編號 {mistyped} 不存在", mail.Reason ?? "", StringComparison.Ordinal);
        Assert.Contains($"該機關未結案之限期改善單為 {reference}", mail.Reason ?? "", StringComparison.Ordinal);
        Assert.Equal("issued", (await Cli.ShowNoticeAsync(reference)).Status);
        await Cli.RunOnceAsync();
        Assert.DoesNotContain(await Delivered.ToAsync(Org1Address), message => message.Subject?.Contains("收件回執", StringComparison.Ordinal) == true);
    }

    private async Task<(string Reference, string MessageId, NoticeJson Notice)> IssueAndDeliverAsync()
    {
        var reference = await IssueAsync(ProgramToday.AddDays(14), send: true);
        await Cli.RunOnceAsync();
        var delivered = Single(await Delivered.WaitForAsync(Org1Address, 1, "the notice"), reference);
        return (reference, delivered.MessageId ?? "", await Cli.ShowNoticeAsync(reference));
    }

    /// <summary>
    /// Hostile finding h10y #9: a mail from an unregistered third party, assigned by staff, got the organisation's receipt
    /// (its name, the notice's open items) while the organisation itself was never told that the file now counts. The
    /// receipt goes to the organisation's registered addresses, and says staff filed it; the stranger gets none.
    /// </summary>
    [Fact]
    public async Task MailOfAnUnregisteredSenderAssignedByStaff_ReceiptGoesToTheOrganisationNotTheStranger()
    {
        await Cli.ImportOrgsAsync(Orgs.CsvWith(Org1Address));
        var reference = await IssueAsync(ProgramToday.AddDays(14), send: true);
        await Cli.RunOnceAsync();
        await Delivered.WaitForAsync(Org1Address, 1, "the notice");
        // Org2Address is registered to nobody here: the organisation's IT vendor, say.
        await Mailbox.AppendAsync(Reply(Org2Address, "掃毒報告", "掃毒報告如附件。", "附件2.txt"));
        await Cli.RunOnceAsync();
        var held = Assert.Single(await Cli.ListMailAsync());
        Assert.True(held.Kind == "unmatched", $"a stranger's mail naming nothing is held: {Dump(held)}");

        await Cli.RunOkAsync("mail", "assign", held.MailId, reference);
        await Cli.RunOnceAsync(); // sends what the assignment queued

        var receipt = Single(await Delivered.WaitForAsync(Org1Address, 2, "the receipt to the organisation"), "收件回執");
        AssertBodiesContain(receipt, "the receipt", reference, $"寄件者 {Org2Address}", "經本中心承辦人員確認後歸入本限期改善單", "附件2");
        await SettledCountAsync(Org2Address, "收件回執", expected: 0, "receipts to the unregistered sender");
    }
}
