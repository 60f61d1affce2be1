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

    /// <summary>
    /// Hostile finding h15h K4: through the drop folder (Mailbox:Kind=Folder) the same mail was refused as expired: its
    /// arrival was recorded as the moment it was read, not the file's time, and the file's time in <c>processed/</c> was
    /// overwritten with that moment. A drop-folder mail arrived when its file was written there: as the file was written
    /// (both its modification and status-change time), which the test sets back on a disk of its own (no system call sets
    /// the latter).
    /// </summary>
    [LoopDiskFact]
    public async Task ActionMailDroppedIntoTheFolderWhileItsLinkWasValid_ReadAfterTheLinkExpired_IsCarriedOut()
    {
        var reference = await NoticeWithReplyAsync();
        var prompt = await PhonePromptAsync(reference);
        var action = StaffMailClient.Compose(StaffMailClient.Link(prompt, "已電話確認"), StaffAddress);
        var arrived = TestClock.Now.AddHours(6);
        action.Date = arrived;
        var dropFolder = Path.Combine(Workspace.Root, "drop");
        using var disk = LoopDisk.Mount(Path.Combine(Workspace.Root, "disk"), dropFolder);
        var file = Path.Combine(dropFolder, "late.eml");
        await File.WriteAllBytesAsync(file, Crlf.Serialize(action));
        // Read 15 days later, as above: the file's time is given 15 days earlier to land at `arrived` on the program's timeline.
        var stamp = (arrived - TimeSpan.FromDays(15) - (TestClock.Now - DateTimeOffset.UtcNow)).UtcDateTime;
        File.SetLastWriteTimeUtc(file, stamp);
        disk.SetStatusChangeTime(file, stamp);
        Cli.Environment["MailIntake__Mailbox__Kind"] = "Folder";
        Cli.Environment["MailIntake__Mailbox__DropFolder"] = dropFolder;
        Cli.Environment["MailIntake__Mailbox__DropQuietPeriod"] = "00:00:00";
        Cli.Environment["MailIntake__Clock__Offset"] = (TimeSpan.Parse(TestClock.Offset, System.Globalization.CultureInfo.InvariantCulture) + TimeSpan.FromDays(15))
            .ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        await Cli.RunOnceAsync();

        Assert.Empty(await Cli.ListMailAsync("suspicious"));
        var mail = Assert.Single(await Cli.ListMailAsync("staff-action"));
        Assert.Equal(arrived, DateTimeOffset.Parse(mail.ReceivedAt, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromMinutes(1));
        var confirmed = await Cli.ShowNoticeAsync(reference);
        Assert.True(confirmed.Status == "confirmed" && confirmed.PhoneConfirmations.Count == 1, Dump(confirmed));
        var processed = Path.Combine(dropFolder, "processed", "late.eml");
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(processed), TimeSpan.FromSeconds(2));
    }
}
