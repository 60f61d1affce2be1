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
}
