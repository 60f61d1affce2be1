using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.Worker.Documents;
using MailIntake.Worker.Tests.Documents;
using MimeKit;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary>
/// The form the notice carried, filled in as an organisation does and mailed back from an address we do not know,
/// with a subject that names nothing: the form alone ties the reply to its notice and gives its fields.
/// </summary>
public sealed class ReturnedFormIntakeTests(ITestOutputHelper output) : OutboundMailTest(output)
{
    private static readonly Dictionary<string, string> Answers = new()
    {
        [NoticeFormText.FillerBlankLine] = "姓名：李大同　電話：06-2345678　郵件信箱：lee@org1.example.tw",
        [NoticeFormText.CompletionBlankLine] = "本用戶已於115年12月01日完成以下改善事項：",
        ["1."] = "1. 經查係瀏覽器外掛造成，已由防火牆設定阻擋規則（附件1）。",
    };

    [Theory]
    [InlineData(".docx")]
    [InlineData(".odt")]
    public async Task FilledFormFromUnknownSender_IsMatchedByTheFormAndItsFieldsRecorded(string extension)
    {
        var (reference, delivered, _) = await IssueAndDeliverNoticeAsync();
        var form = delivered.Attachments.OfType<MimePart>().Single(part => part.FileName!.EndsWith(extension, StringComparison.Ordinal));
        using var blank = new MemoryStream();
        await form.Content!.DecodeToAsync(blank);
        var filled = extension == ".docx" ? FormFiller.FillDocx(blank.ToArray(), Answers) : FormFiller.FillOdt(blank.ToArray(), Answers);

        var reply = new MimeMessage { Subject = "回傳資料", MessageId = $"form-{Guid.NewGuid():N}@unknown.example" };
        reply.From.Add(MailboxAddress.Parse("clerk@unknown.example"));
        reply.To.Add(MailboxAddress.Parse("center@intake.test"));
        var body = new BodyBuilder { TextBody = "如附件。" };
        body.Attachments.Add($"回覆表單{extension}", filled);
        reply.Body = body.ToMessageBody();
        await Mailbox.AppendAsync(reply);

        await Cli.RunOnceAsync();

        var filed = Assert.Single((await Cli.ShowNoticeAsync(reference)).Replies);
        Assert.Equal("reference", filed.MatchedBy);
        Assert.Equal(new FillerJson("李大同", "06-2345678", "lee@org1.example.tw"), filed.Filler);
        Assert.Equal("2026-12-01", filed.CompletedOn);
        Assert.Contains(filed.Evidence, file => file.FileName == $"回覆表單{extension}");
    }

    /// <summary>
    /// h10x #25: the notice's own .docx sent back unchanged counted as 「限期改善單表單：已附」 and the stamped form was
    /// never asked for again. A form with nothing filled in is not the returned form: the receipt still asks for it.
    /// </summary>
    [Fact]
    public async Task OurOwnBlankFormSentBack_IsNotTheReturnedFormAndTheReceiptStillAsksForIt()
    {
        var (reference, delivered, _) = await IssueAndDeliverNoticeAsync();
        var form = delivered.Attachments.OfType<MimePart>().Single(part => part.FileName!.EndsWith(".docx", StringComparison.Ordinal));
        using var blank = new MemoryStream();
        await form.Content!.DecodeToAsync(blank);
        var reply = new MimeMessage { Subject = $"RE: {delivered.Subject}", MessageId = $"blank-{Guid.NewGuid():N}@org1.example.tw", InReplyTo = delivered.MessageId };
        reply.From.Add(MailboxAddress.Parse(Org1Address));
        reply.To.Add(MailboxAddress.Parse("center@intake.test"));
        var body = new BodyBuilder { TextBody = "填寫人：李大同 / 06-2345678\n檢送限期改善單。" };
        body.Attachments.Add(form.FileName!, blank.ToArray());
        reply.Body = body.ToMessageBody();
        await Mailbox.AppendAsync(reply);

        await Cli.RunOnceAsync();

        var receipt = Assert.Single(await Delivered.WaitForAsync(Org1Address, 2, $"the receipt for {reference}"), mail => mail.Subject!.Contains("收件回執", StringComparison.Ordinal));
        var text = receipt.TextBody ?? "";
        Assert.True(!text.Contains("限期改善單表單：已附", StringComparison.Ordinal) && text.Contains("蓋印信之限期改善單", StringComparison.Ordinal),
            $"a blank form is not the returned form, the receipt must still ask for the stamped form:\n{text}");
        var shown = await Cli.ShowNoticeAsync(reference);
        Assert.Contains(shown.Timeline, entry => entry.Detail?.Contains("未填寫任何內容", StringComparison.Ordinal) == true);
    }

    /// <summary>
    /// Hostile finding h10y #3: a reply whose returned form belonged to another notice got a receipt saying it filled in
    /// nothing (「本次回覆未填寫限期改善單欄位」) and was never told why; the reason was only in staff's timeline. The receipt
    /// says which notice the form was of and that it did not count.
    /// </summary>
    [Fact]
    public async Task FilledFormOfAnotherNotice_ReceiptSaysTheFormIsOfThatNoticeAndDidNotCount()
    {
        await Cli.ImportOrgsAsync($"code,name,email,phone,contact\n{TestData.Orgs.TestGuild},{TestData.Orgs.TestGuildName},{Org1Address},06-2345678,李大同\n"
                                  + $"{TestData.Orgs.SecondOrg},台南市第二測試協會,{Org2Address},06-7654321,陳小明\n");
        var other = await Cli.IssueNoticeAsync(TestData.Orgs.SecondOrg, send: true);
        var reference = await Cli.IssueNoticeAsync(TestData.Orgs.TestGuild, send: true);
        await Cli.RunOnceAsync();
        var otherNotice = Assert.Single(await Delivered.WaitForAsync(Org2Address, 1, $"notice {other}"));
        await Delivered.WaitForAsync(Org1Address, 1, $"notice {reference}");
        using var blank = new MemoryStream();
        await otherNotice.Attachments.OfType<MimePart>().Single(part => part.FileName!.EndsWith(".docx", StringComparison.Ordinal)).Content!.DecodeToAsync(blank);
        var reply = new MimeMessage { Subject = $"回覆 {reference}", MessageId = $"other-{Guid.NewGuid():N}@org1.example.tw" };
        reply.From.Add(MailboxAddress.Parse(Org1Address));
        reply.To.Add(MailboxAddress.Parse("center@intake.test"));
        var body = new BodyBuilder { TextBody = "如附件。" };
        body.Attachments.Add("限期改善單回覆.docx", FormFiller.FillDocx(blank.ToArray(), Answers));
        reply.Body = body.ToMessageBody();
        await Mailbox.AppendAsync(reply);

        await Cli.RunOnceAsync();

        var receipt = Assert.Single(await Delivered.WaitForAsync(Org1Address, 2, $"the receipt for {reference}"), mail => mail.Subject!.Contains("收件回執", StringComparison.Ordinal));
        var text = receipt.TextBody ?? "";
        Assert.True(text.Contains($"所附表單為限期改善單 {other} 之表單，與本限期改善單 {reference} 不符，其填寫內容未採計", StringComparison.Ordinal)
                    && !text.Contains("本次回覆未填寫限期改善單欄位", StringComparison.Ordinal),
            $"the receipt must say the form is {other}'s and did not count:\n{text}");
    }
}
