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
