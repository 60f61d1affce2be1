using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.EndToEnd.Tests.TestData;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary>
/// The clock stepped back after it was ahead (a bad NTP step, a VM restored with a wrong clock): a time the program
/// stored while it was ahead must not be read as recent once the clock is right again.
/// </summary>
public sealed class ClockStepTests(ITestOutputHelper output) : EndToEndTest(output)
{
    [Fact]
    public async Task ReceiptsSentWhileTheClockWasADayAhead_DoNotCountAgainstTheHourlyLimitOnceItIsRight()
    {
        var cli = MailIntakeCli.ForDropFolder(Workspace, Output);
        cli.Environment["MailIntake__Mailbox__DropQuietPeriod"] = "00:00:00";
        await cli.ImportOrgsAsync(Orgs.Csv);
        var reference = await cli.IssueNoticeAsync(Orgs.TestGuild);
        var drop = Path.Combine(Workspace.Root, "drop");
        Directory.CreateDirectory(drop);

        // Three replies while the clock is a day ahead: three receipts, the default limit of three an hour.
        cli.Environment["MailIntake__Clock__Offset"] = (TimeSpan.Parse(TestClock.Offset, System.Globalization.CultureInfo.InvariantCulture) + TimeSpan.FromDays(1))
            .ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        await DropRepliesAsync(drop, reference, 0, 3);
        await cli.RunOnceAsync();
        Assert.Equal(3, Receipts());

        cli.Environment["MailIntake__Clock__Offset"] = TestClock.Offset;
        await DropRepliesAsync(drop, reference, 3, 2);

        await cli.RunOnceAsync();

        var timeline = string.Join('\n', (await cli.ShowNoticeAsync(reference)).Timeline.Select(entry => $"{entry.Event} {entry.Detail}"));
        Assert.True(Receipts() == 5, $"the replies filed after the clock was set right get their receipts: {Receipts()} sent; {timeline}");
        Assert.DoesNotContain("一小時內", timeline, StringComparison.Ordinal);
    }

    /// <summary>
    /// Hostile finding h19h H2: a send that failed while the clock was six days ahead (a bad NTP step) stamped its next
    /// attempt six days ahead, and once the clock was set right the notice stayed queued through <c>run --once</c> until
    /// the clock reached that time; <c>status</c> read a last success six days in the future as a fact. The outbox's
    /// backoff is at most an hour: a retry stamped further ahead is due at once, and status says a time it recorded
    /// ahead of now is not known.
    /// </summary>
    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task SendFailedWhileTheClockWasSixDaysAhead_IsSentByTheFirstRunOnceItIsRight_StatusStatesNoSuccessInTheFuture()
    {
        var cli = MailIntakeCli.ForDropFolder(Workspace, Output);
        await cli.ImportOrgsAsync(Orgs.Csv);
        var ahead = (TimeSpan.Parse(TestClock.Offset, System.Globalization.CultureInfo.InvariantCulture) + TimeSpan.FromDays(6))
            .ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        var first = await cli.IssueNoticeAsync(Orgs.TestGuild, send: true);
        cli.Environment["MailIntake__Clock__Offset"] = ahead;
        await cli.RunOkAsync("jobs", "run", "outbox"); // sent: a success recorded six days ahead
        Assert.Single(Directory.GetFiles(Workspace.Outbox, "*.eml"));

        cli.Environment["MailIntake__Clock__Offset"] = TestClock.Offset;
        var second = await cli.IssueNoticeAsync(Orgs.TestGuild, send: true);
        // The pickup folder refuses the service (as under systemd's User=, without root's power to write anywhere).
        File.SetUnixFileMode(Workspace.Outbox, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        cli.CommandPrefix = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"];
        cli.Environment["MailIntake__Clock__Offset"] = ahead;
        await cli.RunAsync("jobs", "run", "outbox");
        Assert.True(SingleOutbound(await cli.ShowNoticeAsync(second)) is { Status: "queued", Attempts: 1 }, "the send failed while the clock was ahead");

        cli.Environment["MailIntake__Clock__Offset"] = TestClock.Offset;
        var status = await cli.RunAsync("status");
        var json = await cli.RunJsonNodeAsync("status", "--json");

        var sending = status.Stdout.Split('\n').Single(line => line.StartsWith("寄信：", StringComparison.Ordinal));
        Assert.True(sending.Contains("上次成功：時間不明（", StringComparison.Ordinal) && sending.Contains("晚於現在", StringComparison.Ordinal)
            && sending.Contains("起失敗", StringComparison.Ordinal), $"no success (nor failure) in the future stated as a fact: {status.Describe()}");
        Assert.True(json["send"]!["lastSuccessRecordedAhead"]!.GetValue<bool>(), json.ToJsonString());

        File.SetUnixFileMode(Workspace.Outbox, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        cli.CommandPrefix = [];
        await cli.RunOnceAsync();

        Assert.True(SingleOutbound(await cli.ShowNoticeAsync(second)).Status == "sent", "the notice goes out once the pickup takes it again, not six days later");
        Assert.Equal(2, Directory.GetFiles(Workspace.Outbox, "*.eml").Length);
        Assert.Equal("sent", SingleOutbound(await cli.ShowNoticeAsync(first)).Status);
    }

    private static OutboundJson SingleOutbound(NoticeJson notice) => Assert.Single(notice.Outbound, mail => mail.Kind == "notice");

    private int Receipts() =>
        Directory.GetFiles(Workspace.Outbox, "*.eml").Count(file => File.ReadAllText(file).Contains("lee@org1.example.tw", StringComparison.Ordinal));

    private static async Task DropRepliesAsync(string drop, string reference, int first, int count)
    {
        for (var index = first; index < first + count; index++)
        {
            await File.WriteAllBytesAsync(Path.Combine(drop, $"reply-{index}.eml"),
                Crlf.Serialize(TestMessages.OutlookBig5Reply(subject: $"Re: 限期改善單 {reference} 改善回覆 {index}").Message));
        }
    }
}
