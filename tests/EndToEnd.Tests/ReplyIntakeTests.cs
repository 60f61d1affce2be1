using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.EndToEnd.Tests.TestData;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary>An organisation's real reply, through Dovecot and <c>run --once</c>, into its notice.</summary>
public sealed class ReplyIntakeTests(ITestOutputHelper output) : EndToEndTest(output)
{
    [Fact]
    public async Task OutlookBig5ReplyNamingOrgCode_IsFiledIntoItsNoticeWithFillerCompletionDateAndFourEvidenceItems()
    {
        var reference = await ImportOrgsAndIssueNoticeAsync();
        var reply = TestMessages.OutlookBig5Reply();
        await Mailbox.AppendAsync(reply.Message);

        await Cli.RunOnceAsync();

        var mails = await Cli.ListMailAsync();
        var mail = Assert.Single(mails);
        Assert.True(mail.Kind == "reply" && mail.NoticeRef == reference,
            $"the reply must be listed as kind reply of {reference}: {Dump(mails)}");
        Assert.Equal(BareMessageId(reply.Message.MessageId), BareMessageId(mail.MessageId));
        Assert.Equal(reply.Message.Subject, mail.Subject);
        AssertInstant(mail.ReceivedAt, "mail list receivedAt");

        var notice = await Cli.ShowNoticeAsync(reference);
        var filed = Assert.Single(notice.Replies);
        Assert.True(filed.MatchedBy == "org-code",
            $"the subject names only the organisation code, so matchedBy must be org-code: {Dump(filed)}");
        Assert.Equal(mail.MailId, filed.MailId);
        Assert.Contains(TestMessages.FillerEmail, filed.From, StringComparison.OrdinalIgnoreCase);
        AssertInstant(filed.ReceivedAt, "reply receivedAt");
        Assert.Equal(
            new FillerJson(TestMessages.FillerName, TestMessages.FillerPhone, TestMessages.FillerEmail),
            filed.Filler);
        Assert.Equal(TestMessages.CompletedOnIso, filed.CompletedOn);

        var expected = reply.Attachments
            .Select(a => (a.FileName, a.Sha256, a.Size, a.Item, Flags: ""))
            .OrderBy(e => e.FileName, StringComparer.Ordinal);
        var actual = filed.Evidence
            .Select(e => (e.FileName, e.Sha256, e.Size, e.Item, Flags: string.Join(',', e.Flags)))
            .OrderBy(e => e.FileName, StringComparer.Ordinal);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task SameMessageAppendedTwice_IsRecordedOnceAndFiledAsOneReply()
    {
        var reference = await ImportOrgsAndIssueNoticeAsync();
        var raw = Crlf.Serialize(TestMessages.OutlookBig5Reply().Message);
        await Mailbox.AppendAsync(raw);
        await Mailbox.AppendAsync(raw);
        Assert.Equal(2, await Mailbox.CountAsync());

        await Cli.RunOnceAsync();

        var mails = await Cli.ListMailAsync();
        Assert.True(mails.Count == 1, $"the same message delivered twice must be recorded once: {Dump(mails)}");
        var notice = await Cli.ShowNoticeAsync(reference);
        Assert.True(notice.Replies.Count == 1, $"the notice must have one reply: {Dump(notice.Replies)}");

        // A second pass (a restart) sees the same two messages again and still records nothing new.
        await Cli.RunOnceAsync();

        Assert.Single(await Cli.ListMailAsync());
        Assert.Single((await Cli.ShowNoticeAsync(reference)).Replies);
    }

    /// <summary>
    /// Finding h19a 1: an INTERNALDATE under a minute old is replaced by the fetch time (whole seconds would tie it with a
    /// call made in the same second), so a reply that reached the server at 23:59:59 on the deadline day and was fetched
    /// just after midnight (Asia/Taipei) was dated the next day, past the deadline. The fetch falls on a later day in the
    /// center's time zone: the INTERNALDATE is kept.
    /// </summary>
    [Fact]
    public async Task ReplyReachedTheServerSecondsBeforeTheDeadlinesMidnight_FetchedJustAfter_IsDatedOnTheDeadlineDay()
    {
        var reference = await ImportOrgsAndIssueNoticeAsync(); // deadline 115/12/10
        var taipei = TimeZoneInfo.FindSystemTimeZoneById("Asia/Taipei");
        var midnight = new DateTimeOffset(2026, 12, 11, 0, 0, 0, TimeSpan.FromHours(8));
        var arrived = midnight - TimeSpan.FromSeconds(1);
        var reply = TestMessages.OutlookBig5Reply().Message;
        reply.Date = arrived;
        // The program's clock is moved on to read midnight now; the server's stamp moves with it (Clock:Offset), so the
        // stamp is given as much earlier on the test timeline to land at 23:59:59 on the program's.
        var ahead = midnight - TestClock.Now;
        await Mailbox.AppendArrivedAtAsync(reply, arrived - ahead);
        Cli.Environment["MailIntake__Clock__Offset"] = (TimeSpan.Parse(TestClock.Offset, System.Globalization.CultureInfo.InvariantCulture) + ahead)
            .ToString("c", System.Globalization.CultureInfo.InvariantCulture);

        await Cli.RunOnceAsync();

        var mail = Assert.Single(await Cli.ListMailAsync());
        var receivedAt = DateTimeOffset.Parse(mail.ReceivedAt, System.Globalization.CultureInfo.InvariantCulture);
        // The server keeps whole seconds of the real clock, which the program's clock shifts by a fraction of one (shown in whole seconds).
        Assert.True(mail.Kind == "reply" && mail.NoticeRef == reference && receivedAt >= arrived - TimeSpan.FromSeconds(1) && receivedAt <= arrived,
            $"the reply is dated when the server got it ({arrived:O}), on the deadline day: {Dump(mail)}");
        var filed = Assert.Single((await Cli.ShowNoticeAsync(reference)).Replies);
        Assert.Equal(new DateOnly(2026, 12, 10), DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.Parse(filed.ReceivedAt, System.Globalization.CultureInfo.InvariantCulture), taipei).DateTime));
    }
}
