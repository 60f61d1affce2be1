using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.EndToEnd.Tests.TestData;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary>Mail that is not a reply: recorded, listed by its kind, and never counted as an answer to a notice.</summary>
public sealed class ClassificationTests(ITestOutputHelper output) : EndToEndTest(output)
{
    [Fact]
    public async Task OutOfOfficeFromRegisteredAddress_IsListedAsAutoReplyAndIsNoReply()
    {
        var reference = await ImportOrgsAndIssueNoticeAsync();
        var outOfOffice = TestMessages.OutOfOffice();
        await Mailbox.AppendAsync(outOfOffice);

        await Cli.RunOnceAsync();

        var autoReplies = await Cli.ListMailAsync("auto-reply");
        var mail = Assert.Single(autoReplies);
        Assert.Equal(BareMessageId(outOfOffice.MessageId), BareMessageId(mail.MessageId));
        Assert.Equal("auto-reply", mail.Kind);
        Assert.Equal("自動回覆（標頭 Auto-Submitted: auto-replied 表示為系統自動寄出）", mail.Reason);
        Assert.True(mail.NoticeRef is null, $"an out-of-office belongs to no notice: {Dump(mail)}");
        Assert.Single(await Cli.ListMailAsync());
        Assert.Empty(await Cli.ListMailAsync("reply"));

        var notice = await Cli.ShowNoticeAsync(reference);
        Assert.True(notice.Replies.Count == 0, $"an out-of-office is no reply: {Dump(notice.Replies)}");
        Assert.Equal("issued", notice.Status);
    }

    [Fact]
    public async Task DeliveryStatusReportFromMailerDaemon_IsListedAsBounceAndIsNoReply()
    {
        var reference = await ImportOrgsAndIssueNoticeAsync();
        var bounce = TestMessages.Bounce();
        await Mailbox.AppendAsync(bounce);

        await Cli.RunOnceAsync();

        var bounces = await Cli.ListMailAsync("bounce");
        var mail = Assert.Single(bounces);
        Assert.Equal(BareMessageId(bounce.MessageId), BareMessageId(mail.MessageId));
        Assert.Equal("bounce", mail.Kind);
        Assert.True(mail.Reason?.StartsWith("退信（郵件為投遞狀態報告", StringComparison.Ordinal) == true, $"the bounce's reason is worded for staff: {Dump(mail)}");
        Assert.Single(await Cli.ListMailAsync());
        Assert.Empty(await Cli.ListMailAsync("reply"));

        var notice = await Cli.ShowNoticeAsync(reference);
        Assert.True(notice.Replies.Count == 0, $"a bounce is no reply: {Dump(notice.Replies)}");
        Assert.Equal("issued", notice.Status);
    }

    [Fact]
    public async Task SpamFromUnknownSenderWithoutCode_IsUnmatchedWithReason()
    {
        var reference = await ImportOrgsAndIssueNoticeAsync();
        var spam = TestMessages.Spam();
        await Mailbox.AppendAsync(spam);

        await Cli.RunOnceAsync();

        var unmatched = await Cli.ListMailAsync("unmatched");
        var mail = Assert.Single(unmatched);
        Assert.Equal(BareMessageId(spam.MessageId), BareMessageId(mail.MessageId));
        Assert.Equal("unmatched", mail.Kind);
        Assert.True(mail.NoticeRef is null, $"spam belongs to no notice: {Dump(mail)}");
        Assert.False(string.IsNullOrWhiteSpace(mail.Reason), $"an unmatched mail says why: {Dump(mail)}");
        Assert.Empty((await Cli.ShowNoticeAsync(reference)).Replies);
    }
}
