using System.Security.Cryptography;
using System.Text.Json.Nodes;
using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.EndToEnd.Tests.TestData;
using MimeKit;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary>
/// CONTRACT.md <c>mail show MAIL-ID [--json] [--raw -o FILE]</c>: staff read one received mail — headers, text body,
/// attachments and where their evidence is kept, its kind and why — in zh-TW, as JSON with codes, or raw.
/// </summary>
public sealed class MailShowTests(ITestOutputHelper output) : EndToEndTest(output)
{
    [Fact]
    public async Task MailShow_FiledReply_ShowsHeadersBodyAttachmentsWithEvidencePathsKindAndNotice()
    {
        var reference = await ImportOrgsAndIssueNoticeAsync();
        var reply = new MimeMessage { Subject = $"回覆：限期改善單 {reference}", MessageId = $"show-{Guid.NewGuid():N}@org1.example.tw" };
        reply.From.Add(new MailboxAddress("李大同", "org1@intake.test"));
        reply.To.Add(MailboxAddress.Parse("center@intake.test"));
        reply.Cc.Add(MailboxAddress.Parse("boss@org1.example.tw"));
        var body = new BodyBuilder { TextBody = "您好，檢送改善佐證資料如附件，請查收。\n李大同 06-2345678" };
        body.Attachments.Add("附件1_防火牆規則.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 7, 7, 7]);
        body.Attachments.Add("附件2 掃毒結果.pdf", "%PDF-1.4\n%%EOF\n"u8.ToArray());
        reply.Body = body.ToMessageBody();
        await Mailbox.AppendAsync(reply);
        await Cli.RunOnceAsync();
        var mailId = Assert.Single(await Cli.ListMailAsync("reply")).MailId;

        var text = await Cli.RunOkAsync("mail", "show", mailId);

        foreach (var expected in new[]
        {
            $"郵件 #{mailId}", "回覆", reference, "寄件者：李大同 <org1@intake.test>", "收件者：center@intake.test", "副本：boss@org1.example.tw",
            $"主旨：回覆：限期改善單 {reference}", BareId(reply.MessageId)!, "檢送改善佐證資料如附件，請查收。",
            "附件1", "附件1_防火牆規則.png", "附件2", "掃毒結果.pdf", "evidence/", "中華民國",
        })
        {
            Assert.True(text.Contains(expected, StringComparison.Ordinal), $"`mail show` must show 「{expected}」:\n{text}");
        }

        Assert.DoesNotContain("bytes", text);

        var json = await Cli.RunJsonNodeAsync("mail", "show", mailId, "--json");
        Assert.Equal("reply", (string?)json["kind"]);
        Assert.Equal(reference, (string?)json["noticeRef"]);
        Assert.Equal(BareId(reply.MessageId), BareId((string?)json["messageId"]));
        Assert.Equal("org1@intake.test", (string?)json["from"]);
        Assert.Contains("檢送改善佐證資料", (string?)json["body"]);
        var attachments = json["attachments"]!.AsArray();
        Assert.Equal(2, attachments.Count);
        var png = attachments.Single(a => (string?)a!["fileName"] == "附件1_防火牆規則.png")!;
        Assert.Equal(1, (int?)png["item"]);
        Assert.Equal(11, (long?)png["size"]);
        var storedPath = (string?)png["storedPath"];
        Assert.False(string.IsNullOrEmpty(storedPath), $"the attachment's evidence file must be named: {png}");
        Assert.True(File.Exists(Path.Combine(Workspace.DataDirectory, storedPath!)), $"{storedPath} must exist under the data directory");
        Assert.Contains(json["headers"]!.AsArray(), header => (string?)header!["name"] == "Cc" && ((string?)header["value"])!.Contains("boss@org1.example.tw"));
    }

    [Fact]
    public async Task MailShow_UnmatchedMail_GivesItsKindAndReasonInChineseAndCodesInJson()
    {
        await ImportOrgsAndIssueNoticeAsync();
        var spam = TestMessages.Spam();
        await Mailbox.AppendAsync(spam);
        await Cli.RunOnceAsync();
        var listed = Assert.Single(await Cli.ListMailAsync("unmatched"));

        var text = await Cli.RunOkAsync("mail", "show", listed.MailId);
        var json = await Cli.RunJsonNodeAsync("mail", "show", listed.MailId, "--json");

        Assert.Contains("類別：未比對", text);
        Assert.Contains($"原因：{listed.Reason}", text);
        Assert.DoesNotContain("unmatched", text);
        Assert.Equal("unmatched", (string?)json["kind"]);
        Assert.Equal(listed.Reason, (string?)json["reason"]);
        Assert.Null(json["noticeRef"]?.GetValue<string>());
    }

    [Fact]
    public async Task MailShowRaw_WritesTheMessageAsReceivedByteForByte()
    {
        var spam = TestMessages.Spam();
        var raw = Crlf.Serialize(spam);
        await Mailbox.AppendAsync(raw);
        await Cli.RunOnceAsync();
        var mailId = Assert.Single(await Cli.ListMailAsync()).MailId;
        var file = Path.Combine(Workspace.Input, "raw.eml");

        await Cli.RunOkAsync("mail", "show", mailId, "--raw", "-o", file);

        Assert.Equal(Convert.ToHexString(SHA256.HashData(raw)), Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(file))));
    }

    [Fact]
    public async Task MailShow_UnknownIdOrRawWithoutFile_RefusedWithOneLine()
    {
        // A store with no such mail (a DataDirectory with no store at all is refused before any mail is looked up).
        await Cli.ImportOrgsAsync(Orgs.Csv);
        var unknown = await Cli.RunAsync("mail", "show", "424242");
        var rawWithoutFile = await Cli.RunAsync("mail", "show", "1", "--raw");

        Assert.True(unknown.ExitCode == 1 && unknown.StderrLines.Length == 1, unknown.Describe());
        Assert.Contains("424242", unknown.StderrLines[0]);
        Assert.True(rawWithoutFile.ExitCode == 2 && rawWithoutFile.StderrLines.Length == 1, rawWithoutFile.Describe());
    }

    private static string? BareId(string? id) => BareMessageId(id);
}
