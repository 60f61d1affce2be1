using System.Text.Json.Nodes;
using MailIntake.EndToEnd.Tests.Harness;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary>
/// Hostile finding h14h G2: a damaged <c>action-link.key</c> (0 bytes, garbled by a failing disk or an interrupted copy)
/// stopped every command — intake, status, store verify, backup, mail list — with an English 「程式發生未預期的錯誤：… holds
/// a key shorter than 32 bytes」. The key only signs and checks staff links: the store and intake go on, staff mails go
/// without buttons (the digest saying why: h15h K5), status and verify name the file, and a member's action mail waits
/// (not judged) until the key is back.
/// </summary>
public sealed class ActionKeyDamageTests(ITestOutputHelper output) : StaffActionTest(output)
{
    [Fact]
    public async Task ActionKeyDamaged_StoreAndIntakeGoOnAndNameTheKey_ActionMailWaitsForTheKey()
    {
        var reference = await NoticeWithReplyAsync();
        var prompt = await PhonePromptAsync(reference);
        var confirm = StaffMailClient.Link(prompt, "已電話確認");
        var keyFile = Path.Combine(Workspace.DataDirectory, "action-link.key");
        var key = await File.ReadAllBytesAsync(keyFile);
        await File.WriteAllBytesAsync(keyFile, []);

        var status = await Cli.RunAsync("status");
        Assert.True(status.ExitCode == 0 && status.Stdout.Contains($"動作連結金鑰檔 {keyFile} 無法使用", StringComparison.Ordinal), status.Describe());
        var statusJson = JsonNode.Parse((await Cli.RunAsync("status", "--json")).Stdout)!;
        Assert.False(statusJson["actionKey"]!["ok"]!.GetValue<bool>(), statusJson.ToJsonString());
        var verify = await Cli.RunAsync("store", "verify", "--json");
        Assert.Equal(1, verify.ExitCode);
        Assert.Contains(JsonNode.Parse(verify.Stdout)!["problems"]!.AsArray(), problem =>
            problem!["kind"]!.GetValue<string>() == "action-key" && problem["path"]!.GetValue<string>() == "action-link.key"
            && problem["detail"]!.GetValue<string>().Contains("0 位元組", StringComparison.Ordinal));
        var verifyText = await Cli.RunAsync("store", "verify");
        Assert.True(verifyText.Stdout.Contains("動作連結金鑰檔", StringComparison.Ordinal) && !verifyText.Stdout.Contains("資料目錄完好", StringComparison.Ordinal), verifyText.Describe());
        await Cli.RunOkAsync("mail", "list");
        await Cli.RunOkAsync("backup", Path.Combine(Workspace.Input, "with-bad-key.zip"));

        // The organisation's next mail is filed; the member's action mail is kept to be processed, not refused.
        await Mailbox.AppendAsync(OrganisationMail($"Re: 限期改善單 {reference} 補件", "補上說明。\n"));
        await SendToCenterAsync(StaffMailClient.Compose(confirm, StaffAddress));
        await Cli.RunAsync("run", "--once");

        var waiting = await Cli.ShowNoticeAsync(reference);
        Assert.True(waiting.Status == "replied" && waiting.Replies.Count == 2 && waiting.PhoneConfirmations.Count == 0, Dump(waiting));
        Assert.Empty(await Cli.ListMailAsync("suspicious"));

        // A prompt written meanwhile goes, without buttons it could not sign.
        await RunJobAsync("digest", AsOf(WorkingDayAtOrAfter(TestClock.Now.AddDays(1))));
        var digest = Assert.Single(await Delivered.WaitForAsync(StaffAddress, 2, "the digest"), m => (m.Subject ?? "").Contains("每日摘要", StringComparison.Ordinal));
        Assert.Empty(StaffMailClient.Links(digest));
        // h15h K5: and says why, in words for staff (no command), in its text and its HTML.
        foreach (var body in new[] { digest.TextBody, digest.HtmlBody })
        {
            Assert.Contains("動作連結金鑰檔無法使用，本摘要未附動作按鈕", body, StringComparison.Ordinal);
            Assert.DoesNotContain("store verify", body, StringComparison.Ordinal);
        }


        await File.WriteAllBytesAsync(keyFile, key);
        await Cli.RunOnceAsync();

        // The call the member confirmed (for the first reply) is recorded once the key is back.
        var confirmed = await Cli.ShowNoticeAsync(reference);
        var call = Assert.Single(confirmed.PhoneConfirmations);
        Assert.Equal(MemberName, call.By);
        Assert.Single(await Cli.ListMailAsync("staff-action"));
        Assert.Equal(0, (await Cli.RunAsync("store", "verify")).ExitCode);
    }
}
