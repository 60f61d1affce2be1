using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.EndToEnd.Tests.TestData;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary>A delivery report for a notice we really sent is tied to that notice and its outbound mail.</summary>
public sealed class BounceLinkTests(ITestOutputHelper output) : OutboundMailTest(output)
{
    [Fact]
    public async Task PostfixBounceReturningOurHeaders_IsTiedToItsNoticeAndMarksTheNoticeMailBounced()
    {
        var (reference, notice, sent) = await IssueAndDeliverNoticeAsync();
        Assert.Equal("sent", SingleOutbound(sent, "notice").Status);
        var bounce = AnswersToOurMail.PostfixBounce(notice, Org1Address);
        await Mailbox.AppendAsync(bounce);

        await Cli.RunOnceAsync();

        var bounces = await Cli.ListMailAsync("bounce");
        var mail = Assert.Single(bounces);
        Assert.True(mail.NoticeRef == reference, $"the bounce must name notice {reference}: {Dump(mail)}");

        var shown = await Cli.ShowNoticeAsync(reference);
        var outbound = SingleOutbound(shown, "notice");
        Assert.True(outbound.Status == "bounced", $"the notice mail's status must be bounced: {Dump(outbound)}");
        Assert.True(shown.Timeline.Any(e => e.Event == "bounced"), $"the timeline must say bounced: {Dump(shown.Timeline)}");
        Assert.True(shown.Replies.Count == 0, $"a bounce is no reply: {Dump(shown.Replies)}");
    }

    [Fact]
    public async Task BounceNamingOnlyAForwardedAddress_IsTiedByTheReturnedMessageId()
    {
        var (reference, notice, _) = await IssueAndDeliverNoticeAsync();
        // No recipient of ours in the report: only the returned Message-ID can tie it.
        await Mailbox.AppendAsync(AnswersToOurMail.PostfixBounceAfterForwarding(notice, "it-staff@internal.org1.example.tw"));

        await Cli.RunOnceAsync();

        var mail = Assert.Single(await Cli.ListMailAsync("bounce"));
        Assert.True(mail.NoticeRef == reference, $"the bounce must be tied to {reference} by the returned Message-ID: {Dump(mail)}");
        var outbound = SingleOutbound(await Cli.ShowNoticeAsync(reference), "notice");
        Assert.True(outbound.Status == "bounced", $"the notice mail's status must be bounced: {Dump(outbound)}");
    }
}
