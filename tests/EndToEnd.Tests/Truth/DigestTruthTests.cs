using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.EndToEnd.Tests.TestData;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests.Truth;

/// <summary>The staff digest through the real Postfix: the first one reports every reply, follow-ups due, and mails to settle in words.</summary>
public sealed class DigestTruthTests(ITestOutputHelper output) : TruthTest(output)
{
    [Fact]
    public async Task FirstDigestAfterTheDeadline_ListsTheReplyAsNewAndTheNoticeAsFollowUpDueAndMailsToSettleInWords()
    {
        await Cli.ImportOrgsAsync(Orgs.CsvWith(Org1Address));
        var deadline = ProgramToday.AddDays(3);
        var reference = await IssueAsync(deadline, send: true);
        await Cli.RunOnceAsync();
        await Delivered.WaitForAsync(Org1Address, 1, "the notice");
        await Mailbox.AppendAsync(Reply(Org1Address, $"RE: {reference}", "填寫人：李大同 / 06-2345678 / lee@org1.example.tw\n本用戶已於115年1月1日完成以下改善事項。", "附件1_防火牆.txt"));
        var garbage = new byte[4096]; // no header block at all: MimeKit refuses it ("Failed to parse message headers.")
        new Random(1).NextBytes(garbage);
        await Mailbox.AppendAsync(garbage);
        await Mailbox.AppendAsync(Reply($"staff+stranger-{Tag}@{MailStack.Settings.Domain}", $"RE: {reference}", "請查收"));
        await Cli.RunOnceAsync();

        var day = WorkingDayAfter(deadline.AddDays(1));
        await RunJobAsync("digest", At(day, "08:35"));

        var digest = Single(await Delivered.WaitForAsync(StaffAddress, 1, "the digest"), "每日摘要");
        var (text, html) = Bodies(digest, "the digest");
        Assert.Contains("新回覆・首次摘要，列出全部回覆（1）", text);
        var newReplies = Section(text, "■ 新回覆");
        Assert.Contains(reference, newReplies);
        Assert.Contains("日期有疑義", newReplies);
        Assert.Equal("before-issued", Assert.Single((await Cli.ShowNoticeAsync(reference)).Replies).CompletedOnDoubt);
        Assert.Contains(reference, Section(text, "■ 待追蹤評估"));
        var toSettle = Section(text, "■ 待處理郵件");
        Assert.Contains("並非該機關", toSettle);
        Assert.Contains("無法解析", toSettle);
        foreach (var body in new[] { text, html })
        {
            foreach (var banned in new[] { "mail assign", "Failed to parse", "End of stream", "MIME 格式錯誤" })
                Assert.False(body.Contains(banned, StringComparison.Ordinal), $"the digest must not say 「{banned}」:\n{text}");
        }
    }

    /// <summary>The lines of the plain-text section starting with <paramref name="title"/>, up to the next one.</summary>
    private static string Section(string text, string title)
    {
        var start = text.IndexOf(title, StringComparison.Ordinal);
        Assert.True(start >= 0, $"no section {title}:\n{text}");
        var end = text.IndexOf("\n■ ", start + title.Length, StringComparison.Ordinal);
        return end < 0 ? text[start..] : text[start..end];
    }
}
