using System.Text;
using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.EndToEnd.Tests.TestData;
using MimeKit;
using MimeKit.Utils;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary><c>jobs run digest</c> against the real Postfix: one digest a working day to staff, HTML tables and plain text in zh-TW.</summary>
public sealed class DailyDigestJobTests(ITestOutputHelper output) : ScheduledJobTest(output)
{
    /// <summary>When set, the delivered digest's HTML part is saved there (to look at it rendered).</summary>
    public const string ArtifactsVariable = "MAILINTAKE_E2E_ARTIFACTS";

    [Fact]
    public async Task DigestRunOnWorkingDayMorningTwice_OneHtmlAndTextDigestInTraditionalChineseListingTheNotices()
    {
        // A morning with something in most sections: one notice due in two days, one overdue, one awaiting the phone call.
        await Cli.ImportOrgsAsync(Orgs.CsvWith(Org1Address));
        var dueSoon = await Cli.IssueNoticeAsync(Orgs.TestGuild); // deadline 115/12/10
        var overdue = await IssueAsync(deadline: "115/12/04");
        var replied = await IssueAsync(deadline: "115/12/18");
        await Mailbox.AppendAsync(Reply(replied));
        await Cli.RunOnceAsync();
        Assert.Equal("replied", (await Cli.ShowNoticeAsync(replied)).Status);

        // Tuesday 2026-12-08, after Staff:DigestTime (08:30).
        await RunJobAsync("digest", "2026-12-08T08:45");

        var digest = Assert.Single(await Delivered.WaitForAsync(StaffAddress, 1, "the daily digest"));
        Assert.Contains("摘要", digest.Subject, StringComparison.Ordinal);
        Assert.True(digest.HtmlBody is { } h && h.Contains("<table", StringComparison.OrdinalIgnoreCase),
            $"the digest's HTML part must lay its lists out in tables:\n{digest.HtmlBody}");
        // Traditional, not Simplified: the traditional forms of 單 and 處理, nowhere their simplified 单 / 处理.
        AssertBodiesContain(digest, "the digest", "限期改善單", dueSoon, overdue, replied, "逾期", "電話確認");
        var (text, html) = Bodies(digest, "the digest");
        foreach (var simplified in new[] { "单", "处理", "电话", "邮件" })
            Assert.True(!text.Contains(simplified, StringComparison.Ordinal) && !html.Contains(simplified, StringComparison.Ordinal),
                $"the digest must be in Traditional Chinese, found simplified 「{simplified}」");
        Assert.Equal("auto-generated", HeaderOf(digest, "Auto-Submitted").Trim());
        SaveForLooking(digest);

        await RunJobAsync("digest", "2026-12-08T08:45");
        await RunJobAsync("digest", "2026-12-08T16:00");

        await Delivered.SettleAsync(StaffAddress);
        var all = await Delivered.ToAsync(StaffAddress);
        Assert.True(all.Count == 1, $"one digest a day however often the job runs, found {all.Count}: {DeliveredMail.Subjects(all)}");
    }

    /// <summary>
    /// Hostile finding h10w #6: a <c>jobs run digest --as-of</c> for tomorrow (a preview, mailed at once) stood in for
    /// tomorrow's digest: the scheduled run then said 今日已寄出, and what came in between was in no digest.
    /// </summary>
    [Fact]
    public async Task DigestPreviewForTomorrow_TomorrowsScheduledRunStillSendsTheDigestWithTheReplyBetween()
    {
        await Cli.ImportOrgsAsync(Orgs.CsvWith(Org1Address));
        var notice = await Cli.IssueNoticeAsync(Orgs.TestGuild);
        var tomorrow = TestClock.Today.AddDays(1); // Wednesday 115/12/2
        await RunJobAsync("digest", $"{tomorrow:yyyy-MM-dd}T08:30");
        // What the mail server answered is true now, not tomorrow: status never reads a last success in the future.
        var status = await Cli.RunJsonAsync<System.Text.Json.Nodes.JsonNode>("status", "--json");
        var lastSuccess = DateTimeOffset.Parse(status["send"]!["lastSuccessAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(lastSuccess < TestClock.Now.AddMinutes(1), $"the preview's send is recorded at the real moment, not tomorrow: {lastSuccess:O}");
        await Mailbox.AppendAsync(Reply(notice));
        await Cli.RunOnceAsync();

        // Tomorrow 08:54 by the program's own clock: the run the schedule makes, no --as-of.
        var morning = new DateTimeOffset(tomorrow.ToDateTime(new TimeOnly(8, 54)), TimeSpan.FromHours(8));
        Cli.Environment["MailIntake__Clock__Offset"] = (morning - DateTimeOffset.UtcNow).ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        await Cli.RunOkAsync("jobs", "run", "digest");

        var digests = await SettledCountAsync(StaffAddress, "每日摘要", 2, "the preview and the day's own digest");
        var real = digests.Single(digest => (digest.Subject ?? "").Contains("新回覆 1", StringComparison.Ordinal));
        Assert.Contains(notice, real.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplyFetchedAfterTheDigestItArrivedBefore_KeepsTheServersArrivalAndIsNewInTheNextDigest()
    {
        await Cli.ImportOrgsAsync(Orgs.CsvWith(Org1Address));
        // Issued ten minutes ago; the reply reached the server five minutes ago, while the worker was down; the day's
        // digest went out two minutes ago, before the worker was back to fetch it.
        var now = TestClock.Now;
        Cli.Environment["MailIntake__Clock__Offset"] = (TestClock.Now - TimeSpan.FromMinutes(10) - DateTimeOffset.UtcNow).ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        var reference = await Cli.IssueNoticeAsync(Orgs.TestGuild);
        Cli.Environment["MailIntake__Clock__Offset"] = TestClock.Offset;
        var arrived = now - TimeSpan.FromMinutes(5);
        await Mailbox.AppendArrivedAtAsync(Reply(reference), arrived);
        await RunJobAsync("digest", AsOf(now - TimeSpan.FromMinutes(2)));

        await Cli.RunOnceAsync();

        var mail = Assert.Single(await Cli.ListMailAsync());
        var recorded = DateTimeOffset.Parse(mail.ReceivedAt, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True((recorded - arrived).Duration() < TimeSpan.FromSeconds(2),
            $"the reply arrived when the server says ({arrived:O}), not when it was fetched: {mail.ReceivedAt}");
        await RunJobAsync("digest", "2026-12-02T08:45");
        var digests = await SettledCountAsync(StaffAddress, "摘要", 2, "the two days' digests");
        var (text, html) = Bodies(digests.Single(digest => digest.Subject!.Contains("115年12月2日", StringComparison.Ordinal)), "the second digest");
        var arrivedText = TimeZoneInfo.ConvertTime(arrived, Taipei).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(text.Contains("新回覆・自上次摘要起（1）", StringComparison.Ordinal), $"the reply filed after the last digest is new in this one, whenever it arrived:\n{text}");
        foreach (var body in new[] { text, html })
        {
            Assert.Contains(arrivedText, body, StringComparison.Ordinal);
            Assert.DoesNotContain("尚未回覆", body, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// A delivery report that names no mail of ours reached the server before the day's digest and was read after it (the
    /// worker down): it keeps its true arrival, so a window by arrival (since the last digest) left it out of every digest.
    /// Like a reply, it is new by when it was processed. Found checking what else the drop folder's true arrivals
    /// (h15h K4) could make false: the same holds for an IMAP arrival since h14h G13.
    /// </summary>
    [Fact]
    public async Task UntiedBounceReadAfterTheDigestItArrivedBefore_IsListedInTheNextDigest()
    {
        await Cli.ImportOrgsAsync(Orgs.CsvWith(Org1Address));
        var now = TestClock.Now;
        await Mailbox.AppendArrivedAtAsync(TestMessages.Bounce(), now - TimeSpan.FromMinutes(5));
        await RunJobAsync("digest", AsOf(now - TimeSpan.FromMinutes(2)));

        await Cli.RunOnceAsync();

        var bounce = Assert.Single(await Cli.ListMailAsync("bounce"));
        Assert.True(bounce.NoticeRef is null, Dump(bounce));
        await RunJobAsync("digest", "2026-12-02T08:45");
        var digests = await SettledCountAsync(StaffAddress, "摘要", 2, "the two days' digests");
        var (text, _) = Bodies(digests.Single(digest => digest.Subject!.Contains("115年12月2日", StringComparison.Ordinal)), "the second digest");
        Assert.True(!text.Contains("沒有無法對應之退信", StringComparison.Ordinal) && text.Contains("nobody@org1.example.tw", StringComparison.Ordinal),
            $"the report read after the last digest is listed in this one, whenever it arrived:\n{text}");
    }

    private async Task<string> IssueAsync(string deadline)
    {
        var result = await Cli.RunAsync("notice", "issue", "--org", Orgs.TestGuild, "--host-ip", "10.1.2.4", "--malicious-ip", "203.0.113.10",
            "--from", "115/11/01", "--to", "115/11/15", "--deadline", deadline, "--no-send", "--again"); // several notices, one incident
        Assert.True(result.ExitCode == 0, result.Describe());
        return result.Stdout.Split('\n').Select(l => l.Trim()).Last(l => l.Length > 0);
    }

    private MimeMessage Reply(string reference)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(Encoding.UTF8, Orgs.TestGuildName, Org1Address));
        message.To.Add(new MailboxAddress("", MailStack.Settings.CenterUser));
        message.Headers.Replace(HeaderId.Subject, Encoding.UTF8, $"Re: 限期改善單 {reference} 改善回覆");
        message.Date = TestClock.Now;
        message.MessageId = MimeUtils.GenerateMessageId("org1.example.tw");
        message.Body = new TextPart("plain") { Text = $"已完成改善。\n填寫人：李大同 / 06-2345678 / {Org1Address}\n" };
        return message;
    }

    private void SaveForLooking(MimeMessage digest)
    {
        if (Environment.GetEnvironmentVariable(ArtifactsVariable) is not { Length: > 0 } dir)
            return;
        Directory.CreateDirectory(dir);
        var file = Path.Combine(dir, $"digest-{Tag}.html");
        File.WriteAllText(file, digest.HtmlBody!, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        File.WriteAllText(Path.ChangeExtension(file, ".txt"), digest.TextBody!, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        Output.WriteLine($"digest saved to {file}");
    }
}
