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
}
