using MailIntake.EndToEnd.Tests.Harness;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary>
/// Hostile finding h14h G13: a member's action mail that reached the server while its link was valid, but was read after
/// the link's expiry (the worker or the IMAP connection down over it, or a re-read after a restore), was refused as
/// expired and recorded suspicious: the call was lost. The link is judged as of the mail's arrival.
/// </summary>
public sealed class StaffActionLateReadTests(ITestOutputHelper output) : StaffActionTest(output)
{
    [Fact]
    public async Task ActionMailArrivedWhileItsLinkWasValid_ReadAfterTheLinkExpired_IsCarriedOut()
    {
        var reference = await NoticeWithReplyAsync();
        var prompt = await PhonePromptAsync(reference);
        var action = StaffMailClient.Compose(StaffMailClient.Link(prompt, "已電話確認"), StaffAddress);
        var arrived = TestClock.Now.AddHours(6);
        action.Date = arrived;
        // Read 15 days later: the link (14 days) expired in between. The program moves the server's INTERNALDATE by its
        // own clock offset, which the read below moves on by 15 days: the stamp is given 15 days earlier to land at
        // `arrived` on the program's timeline.
        await Mailbox.AppendArrivedAtAsync(action, arrived - TimeSpan.FromDays(15));
        Cli.Environment["MailIntake__Clock__Offset"] = (TimeSpan.Parse(TestClock.Offset, System.Globalization.CultureInfo.InvariantCulture) + TimeSpan.FromDays(15))
            .ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        await Cli.RunOnceAsync();

        Assert.Empty(await Cli.ListMailAsync("suspicious"));
        var mail = Assert.Single(await Cli.ListMailAsync("staff-action"));
        Assert.Equal(arrived, DateTimeOffset.Parse(mail.ReceivedAt, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromMinutes(1));
        var confirmed = await Cli.ShowNoticeAsync(reference);
        Assert.True(confirmed.Status == "confirmed" && confirmed.PhoneConfirmations.Count == 1, Dump(confirmed));
    }
}
