using System.Net;
using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.EndToEnd.Tests.TestData;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary>A reply tied to our notice only by its thread headers, and the receipt its sender gets.</summary>
public sealed class ThreadReplyTests(ITestOutputHelper output) : OutboundMailTest(output)
{
    [Fact]
    public async Task ReplyWithOnlyInReplyToFromUnregisteredSender_IsMatchedByThreadAndItsSenderReceivesTheReceipt()
    {
        var (reference, notice, _) = await IssueAndDeliverNoticeAsync();
        Assert.False(string.IsNullOrEmpty(notice.MessageId), "the delivered notice must have a Message-ID");
        var reply = AnswersToOurMail.ThreadReply(Org2Address, notice.MessageId!);
        Assert.DoesNotContain(reference, reply.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain(Orgs.TestGuild, reply.Subject, StringComparison.Ordinal);
        await Mailbox.AppendAsync(reply);

        await Cli.RunOnceAsync();

        var shown = await Cli.ShowNoticeAsync(reference);
        var filed = Assert.Single(shown.Replies);
        Assert.True(filed.MatchedBy == "thread",
            $"subject and sender name nothing, only In-Reply-To does, so matchedBy must be thread: {Dump(filed)}");
        Assert.Equal(BareMessageId(reply.MessageId), BareMessageId(filed.MessageId));

        var outbound = SingleOutbound(shown, "receipt");
        Assert.True(outbound.Status == "sent" && outbound.To.Contains(Org2Address, StringComparer.OrdinalIgnoreCase),
            $"the receipt must be sent to the reply's sender {Org2Address}: {Dump(outbound)}");

        var receipt = Assert.Single(await Delivered.WaitForAsync(Org2Address, 1, $"receipt for {reference}"));
        Assert.Equal(BareMessageId(reply.MessageId), BareMessageId(receipt.InReplyTo));
        Assert.Equal(BareMessageId(outbound.MessageId), BareMessageId(receipt.MessageId));
        Assert.Contains(reference, receipt.Subject, StringComparison.Ordinal);
        Assert.Equal("auto-replied", HeaderOf(receipt, "Auto-Submitted").Trim());
        Assert.Equal("All", HeaderOf(receipt, "X-Auto-Response-Suppress").Trim());
        foreach (var (kind, body) in new[] { ("text", receipt.TextBody ?? ""), ("html", WebUtility.HtmlDecode(receipt.HtmlBody ?? "")) })
        {
            foreach (var expected in new[] { reference, AnswersToOurMail.ThreadReplyAttachmentName, "電話確認", CenterPhone })
                Assert.True(body.Contains(expected, StringComparison.Ordinal), $"the receipt's {kind} body must contain 「{expected}」:\n{body}");
        }
    }
}
