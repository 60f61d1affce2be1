using System.Net;
using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.EndToEnd.Tests.TestData;
using MimeKit;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary>A notice issued on the command line, sent by <c>run --once</c> through Postfix, as the organisation receives it.</summary>
public sealed class NoticeDeliveryTests(ITestOutputHelper output) : OutboundMailTest(output)
{
    private const string RocDeadline = "中華民國115年12月10日";

    [Fact]
    public async Task NoticeIssuedThenRunOnce_ArrivesOnceInOrgMailboxInTraditionalChineseWithRocDeadlinePhoneStepAndLoopHeaders()
    {
        var (reference, mail, notice) = await IssueAndDeliverNoticeAsync();

        // Exactly once: whatever Postfix accepted has been delivered by now, and it is still one copy.
        await Delivered.SettleAsync(Org1Address);
        var all = await Delivered.ToAsync(Org1Address);
        Assert.True(all.Count == 1, $"the notice must arrive exactly once, arrived {all.Count} times: {DeliveredMail.Subjects(all)}");

        var to = Assert.Single(mail.To.Mailboxes);
        Assert.Equal(Org1Address, to.Address, ignoreCase: true);
        Assert.Contains(reference, mail.Subject, StringComparison.Ordinal);
        Assert.Contains(Orgs.TestGuild, mail.Subject, StringComparison.Ordinal);

        Assert.True(mail.TextBody is not null && mail.HtmlBody is not null,
            $"the notice must have a plain-text and an HTML body; text: {mail.TextBody is not null}, html: {mail.HtmlBody is not null}");
        foreach (var (kind, body) in new[] { ("text", mail.TextBody!), ("html", WebUtility.HtmlDecode(mail.HtmlBody!)) })
        {
            // Traditional Chinese that survived the trip: the form's own words, no replacement characters.
            Assert.DoesNotContain('\uFFFD', body);
            foreach (var expected in new[] { "限期改善單", Orgs.TestGuildName, RocDeadline, CenterPhone, "電話確認", reference })
                Assert.True(body.Contains(expected, StringComparison.Ordinal), $"the {kind} body must contain 「{expected}」:\n{body}");
        }

        Assert.Equal("auto-generated", HeaderOf(mail, "Auto-Submitted").Trim());
        Assert.Equal("All", HeaderOf(mail, "X-Auto-Response-Suppress").Trim());

        var outbound = SingleOutbound(notice, "notice");
        Assert.True(outbound.Status == "sent", $"the delivered notice's outbound status must be sent: {Dump(outbound)}");
        Assert.Equal(BareMessageId(mail.MessageId), BareMessageId(outbound.MessageId));
        Assert.Contains(Org1Address, outbound.To, StringComparer.OrdinalIgnoreCase);
        AssertInstant(outbound.SentAt ?? "(null)", "outbound sentAt");
    }

    /// <summary>
    /// Hostile finding h10y #13: the notice mail wrote casual 的 (「蓋用印信的限期改善單」, 「可填寫的限期改善單」), and its timeline
    /// entry too. A 公文 writes 之, as the receipts, reminders and extension mails already do.
    /// </summary>
    [Fact]
    public async Task NoticeMail_IsInOfficialRegister_WritesNoCasualDe()
    {
        var (reference, mail, notice) = await IssueAndDeliverNoticeAsync();

        foreach (var (kind, body) in new[] { ("text", mail.TextBody ?? ""), ("html", WebUtility.HtmlDecode(mail.HtmlBody ?? "")) })
        {
            Assert.True(body.Contains("蓋用印信之限期改善單", StringComparison.Ordinal) && body.Contains("可填寫之限期改善單", StringComparison.Ordinal),
                $"the {kind} body of {reference} must write 之:\n{body}");
            Assert.True(!body.Contains('的'), $"the {kind} body of {reference} must not write casual 的:\n{body}");
        }

        Assert.True(notice.Timeline.All(entry => entry.Detail?.Contains('的') != true), $"the timeline must not write 的: {Dump(notice.Timeline)}");
    }
}
