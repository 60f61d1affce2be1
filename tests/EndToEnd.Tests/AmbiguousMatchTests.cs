using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.EndToEnd.Tests.TestData;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary>Never guess: a code that fits two open notices waits for staff.</summary>
public sealed class AmbiguousMatchTests(ITestOutputHelper output) : EndToEndTest(output)
{
    [Fact]
    public async Task ReplyNamingCodeOfTwoOpenNotices_IsAmbiguousUntilStaffAssignIt()
    {
        await Cli.ImportOrgsAsync(Orgs.Csv);
        var first = await Cli.IssueNoticeAsync(Orgs.TestGuild);
        var second = await Cli.IssueNoticeAsync(Orgs.TestGuild);
        Assert.NotEqual(first, second);
        var reply = TestMessages.OutlookBig5Reply();
        await Mailbox.AppendAsync(reply.Message);

        await Cli.RunOnceAsync();

        var mail = Assert.Single(await Cli.ListMailAsync("ambiguous"));
        Assert.Equal(BareMessageId(reply.Message.MessageId), BareMessageId(mail.MessageId));
        Assert.Equal("ambiguous", mail.Kind);
        Assert.True(mail.NoticeRef is null, $"an ambiguous mail is in no notice: {Dump(mail)}");
        Assert.False(string.IsNullOrWhiteSpace(mail.Reason), $"an ambiguous mail says why: {Dump(mail)}");
        Assert.Empty((await Cli.ShowNoticeAsync(first)).Replies);
        Assert.Empty((await Cli.ShowNoticeAsync(second)).Replies);

        // Staff settle it for the second notice (not the first: nothing may default to "the oldest").
        await Cli.RunOkAsync("mail", "assign", mail.MailId, second);

        var assigned = await Cli.ShowNoticeAsync(second);
        var filed = Assert.Single(assigned.Replies);
        Assert.True(filed.MailId == mail.MailId && filed.MatchedBy == "staff",
            $"mail {mail.MailId} must be a reply of {second} with matchedBy staff: {Dump(filed)}");
        Assert.True(filed.Evidence.Count == reply.Attachments.Count,
            $"the assigned reply brings its {reply.Attachments.Count} attachments as evidence: {Dump(filed.Evidence)}");
        Assert.Empty((await Cli.ShowNoticeAsync(first)).Replies);

        var listed = Assert.Single(await Cli.ListMailAsync());
        Assert.True(listed.Kind == "reply" && listed.NoticeRef == second,
            $"after assignment the mail is a reply of {second}: {Dump(listed)}");
    }
}
