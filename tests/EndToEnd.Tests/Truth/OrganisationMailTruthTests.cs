using System.Text;
using MailIntake.EndToEnd.Tests.TestData;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests.Truth;

/// <summary>
/// What the organisation is told by mail, through the real Dovecot and Postfix: the extension's numbered paragraphs, a
/// notice's own items in its mail and receipt, a receipt after the case was closed, a receipt to a sender written as one
/// encoded-word.
/// </summary>
public sealed class OrganisationMailTruthTests(ITestOutputHelper output) : TruthTest(output)
{
    [Fact]
    public async Task Extension_AfterAReply_NumbersItsExplanationsConsecutively()
    {
        var (reference, _, notice) = await IssueAndDeliverNoticeAsync();
        await Mailbox.AppendAsync(Reply(Org1Address, $"RE: {reference}", "如附件", "附件1_防火牆.txt"));
        await Cli.RunOnceAsync();
        var until = DateOnly.Parse(notice.Deadline, System.Globalization.CultureInfo.InvariantCulture).AddDays(14);

        await Cli.RunOkAsync("notice", "follow-up", reference, "--result", "extended", "--until", $"{until:yyyy-MM-dd}", "--by", "張專員", "--note", "尚缺掃描");

        var extension = Single(await Delivered.WaitForAsync(Org1Address, 3, "the extension notice"), "展延通知");
        var (text, _) = Bodies(extension, "the extension notice");
        var numbered = System.Text.RegularExpressions.Regex.Matches(text, "說明([一二三四五六七八九])：").Select(match => match.Groups[1].Value).ToList();
        Assert.True(numbered.SequenceEqual(["一", "二", "三", "四"]), $"說明 must be numbered 一、二、三、四, got {string.Join("、", numbered)}:\n{text}");
    }

    [Fact]
    public async Task NoticeWithItsOwnItems_MailAndReceiptAskOnlyForThoseItems()
    {
        await Cli.ImportOrgsAsync(Orgs.CsvWith(Org1Address));
        var items = Workspace.WriteInput("items.txt", "請說明連線原因\n請提供掃毒紀錄\n");
        var reference = await IssueAsync(ProgramToday.AddDays(14), send: true, items);
        await Cli.RunOnceAsync();
        var mail = Single(await Delivered.WaitForAsync(Org1Address, 1, "the notice"), reference);
        AssertBodiesContain(mail, "the notice", "請說明連線原因", "請提供掃毒紀錄", "附件1 改善事項1之佐證資料、附件2 改善事項2之佐證資料");
        AssertBodiesLack(mail, "the notice", "防火牆阻擋規則", "附件3", "附件4");

        await Mailbox.AppendAsync(Reply(Org1Address, $"RE: {reference}", "填寫人：王小明 / 06-1234567 / wang@org1.example.tw", "附件1_說明.txt", "附件2_掃毒紀錄.txt"));
        await Cli.RunOnceAsync();

        var receipt = Single(await Delivered.WaitForAsync(Org1Address, 2, "the receipt"), "收件回執");
        AssertBodiesContain(receipt, "the receipt", "改善事項1、2之處理情形與說明", "附件1", "附件2");
        AssertBodiesLack(receipt, "the receipt", "改善事項1、2、3、4", "附件3", "附件4", "防火牆阻擋規則");
    }

    /// <summary>
    /// Hostile finding h10y #6: for a notice with two items, a file named 附件3 was receipted as 「附件3」 with no word that
    /// the notice asks for no 附件3. The receipt says so and asks which item it belongs to.
    /// </summary>
    [Fact]
    public async Task NoticeWithTwoItems_FileNamedAsAThirdItem_ReceiptSaysTheNoticeListsNoSuchItem()
    {
        await Cli.ImportOrgsAsync(Orgs.CsvWith(Org1Address));
        var reference = await IssueAsync(ProgramToday.AddDays(14), send: true, Workspace.WriteInput("items.txt", "請說明連線原因\n請提供掃毒紀錄\n"));
        await Cli.RunOnceAsync();
        await Delivered.WaitForAsync(Org1Address, 1, "the notice");

        await Mailbox.AppendAsync(Reply(Org1Address, $"RE: {reference}", "如附件", "附件1.txt", "附件3.txt"));
        await Cli.RunOnceAsync();

        var receipt = Single(await Delivered.WaitForAsync(Org1Address, 2, "the receipt"), "收件回執");
        AssertBodiesContain(receipt, "the receipt", "附件3.txt（", "檔名標示附件3，但本限期改善單僅列附件1至附件2，請確認應屬何項", "附件2（改善事項2之佐證資料）");
    }

    /// <summary>
    /// Hostile finding h10y #14: the suspension notice invites a restoration request (完成改善後，請檢附佐證資料回覆本中心，以申請
    /// 恢復交換服務); the one that came was answered 「收存備查，不再列為補件」 and staff saw only 「本案已結案」. The receipt says it
    /// is passed on for review, and the digest asks staff to review it.
    /// </summary>
    [Fact]
    public async Task ReplyToASuspendedNotice_IsKeptAsARestorationRequestAndStaffAreAskedToReviewIt()
    {
        var (reference, _, _) = await IssueAndDeliverNoticeAsync();
        var from = ProgramToday.AddDays(7);
        await Cli.RunOkAsync("notice", "follow-up", reference, "--result", "suspended", "--suspend-from", $"{from:yyyy-MM-dd}", "--note", "因事態嚴重", "--by", "張專員");
        await Delivered.WaitForAsync(Org1Address, 2, "the suspension notice");

        await Mailbox.AppendAsync(Reply(Org1Address, $"RE: {reference} 再補件", "補上掃毒紀錄", "附件2_掃毒.txt"));
        await Cli.RunOnceAsync();

        var receipt = Single(await Delivered.WaitForAsync(Org1Address, 3, "the receipt after the suspension"), "收件回執");
        AssertBodiesContain(receipt, "the receipt", reference, "中止貴單位之公文電子交換服務", $"中華民國{from.Year - 1911}年{from.Month}月{from.Day}日", "已結案",
            "作為貴單位申請恢復交換服務之資料審核，審核結果將另行通知");
        AssertBodiesLack(receipt, "the receipt", "均已收到", "本中心將進行查核", "尚待補充", "應再以電話確認之", "收存備查", "不再列為補件");
        var notice = await Cli.ShowNoticeAsync(reference);
        Assert.True(notice is { Status: "suspended", Replies.Count: 1 }, $"the mail is filed and the notice stays suspended: {Dump(notice)}");
        await RunJobAsync("digest", At(WorkingDayAfter(ProgramToday), "08:30"));
        var digest = Single(await Delivered.WaitForAsync(StaffAddress, 1, "the digest"), "每日摘要");
        AssertBodiesContain(digest, "the digest", "來信為申請恢復交換服務之資料，請審核並通知機關");
    }

    [Fact]
    public async Task ReplyWhoseFromIsOneEncodedWord_IsReceiptedToTheDecodedAddress()
    {
        var (reference, _, _) = await IssueAndDeliverNoticeAsync();
        var word = Convert.ToBase64String(Encoding.UTF8.GetBytes($"周志明 <{Org1Address}>"));
        var raw = Encoding.ASCII.GetBytes(
            $"From: =?utf-8?b?{word}?=\r\nTo: center@intake.test\r\nSubject: RE: {reference}\r\nMessage-ID: <word-{Guid.NewGuid():N}@org.example.tw>\r\n" +
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nplease see\r\n");
        await Mailbox.AppendAsync(raw);

        await Cli.RunOnceAsync();

        var mail = Assert.Single(await Cli.ListMailAsync());
        Assert.True(mail is { Kind: "reply" } && mail.From == Org1Address, $"the sender is the decoded address: {Dump(mail)}");
        var receipt = Single(await Delivered.WaitForAsync(Org1Address, 2, "the receipt"), "收件回執");
        AssertBodiesContain(receipt, "the receipt", $"寄件者 {Org1Address}");
        AssertBodiesLack(receipt, "the receipt", "=?utf-8?");
    }
}
