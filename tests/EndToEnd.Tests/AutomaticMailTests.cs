using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.EndToEnd.Tests.TestData;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary>Loop protection: mail written by machines in answer to our notice never gets a receipt.</summary>
public sealed class AutomaticMailTests(ITestOutputHelper output) : OutboundMailTest(output)
{
    [Fact]
    public async Task OutOfOfficeAndBounceAfterNotice_GetNoReceipt()
    {
        var (reference, notice, _) = await IssueAndDeliverNoticeAsync();
        // Both thread to the notice and the out-of-office even quotes its reference: only being automatic
        // stands between them and a receipt.
        await Mailbox.AppendAsync(AnswersToOurMail.OutOfOffice(Org1Address, notice));
        await Mailbox.AppendAsync(AnswersToOurMail.PostfixBounce(notice, Org1Address));

        await Cli.RunOnceAsync();

        var shown = await Cli.ShowNoticeAsync(reference);
        Assert.True(shown.Outbound.All(o => o.Kind != "receipt"), $"no receipt may be queued for automatic mail: {Dump(shown.Outbound)}");

        // The out-of-office's sender (the organisation) has the notice and nothing else.
        await Delivered.SettleAsync(Org1Address);
        var received = await Delivered.ToAsync(Org1Address);
        Assert.True(received.Count == 1 && BareMessageId(received[0].MessageId) == BareMessageId(notice.MessageId),
            $"only the notice may arrive at {Org1Address}: {DeliveredMail.Subjects(received)}");

        // Both were seen, and seen for what they are: the test above was not passed by ignoring them.
        var mails = await Cli.ListMailAsync();
        Assert.True(mails.Count == 2 && mails.Any(m => m.Kind == "auto-reply") && mails.Any(m => m.Kind == "bounce"),
            $"the two mails must be recorded as an auto-reply and a bounce: {Dump(mails)}");
        Assert.True(shown.Replies.Count == 0, $"automatic mail is no reply: {Dump(shown.Replies)}");
    }
}
