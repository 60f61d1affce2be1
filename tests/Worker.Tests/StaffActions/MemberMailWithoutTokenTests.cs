using MailIntake.Storage;
using MailIntake.Worker.Intake;
using MailIntake.Worker.StaffActions;
using MimeKit;

namespace MailIntake.Worker.Tests.StaffActions;

/// <summary>h10z E and h10v #8: a member's mail without a token is answered once, and that answer coming back is not.</summary>
public sealed class MemberMailWithoutTokenTests : IDisposable
{
    private readonly WorkerHarness _harness = new(
        new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(8)),
        new Dictionary<string, string?>
        {
            ["MailIntake:Staff:Members:0:Email"] = "clerk@intake.test",
            ["MailIntake:Staff:Members:0:Name"] = "林書記",
        });

    [Fact]
    public async Task Ingest_MemberMailThenItsAnswerForwardedBack_AnswersOnceAndNeverLoops()
    {
        await IngestAsync(Mail("TN-115-0001 我已打過電話", "已聯繫。"));
        var answer = _harness.Rendered(Assert.Single(_harness.Outbound(OutboundKind.ActionAnswer)));

        // The member's forwarding rule sends the answer back to the center, From the member, without Auto-Submitted.
        await IngestAsync(Mail("FW: " + answer.Subject, answer.TextBody ?? ""));
        await IngestAsync(Mail("FW: 轉寄", "-----Original Message-----\n" + (answer.TextBody ?? "")));

        Assert.StartsWith("【無法處理】", answer.Subject, StringComparison.Ordinal);
        Assert.Single(_harness.Outbound(OutboundKind.ActionAnswer));
    }

    [Fact]
    public async Task Ingest_MoreRefusedMailsInAnHourThanTheLimit_AnswersTheLimitThenAgainAnHourLater()
    {
        // However a member's forwarding rule rewrites what comes back, refusals to one member are bounded per hour.
        for (var i = 1; i <= ActionAnswers.MaxRefusalsPerMemberPerHour + 2; i++)
        {
            await IngestAsync(Mail($"TN-115-0001 第 {i} 通電話", "已聯繫。"));
            _harness.Time.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Equal(ActionAnswers.MaxRefusalsPerMemberPerHour, _harness.Outbound(OutboundKind.ActionAnswer).Count);

        _harness.Time.Advance(TimeSpan.FromHours(1));
        await IngestAsync(Mail("TN-115-0001 再一通電話", "已聯繫。"));
        Assert.Equal(ActionAnswers.MaxRefusalsPerMemberPerHour + 1, _harness.Outbound(OutboundKind.ActionAnswer).Count);
    }

    /// <summary>
    /// Hostile finding h10u D: <c>mail assign</c> filed a member's own 已聯繫 note as the organisation's reply — the notice
    /// became replied and the organisation got a receipt for the center's own words. Such a mail is refused; a member's
    /// inline forward of the organisation's mail (its quoted header) is still filed.
    /// </summary>
    [Fact]
    public async Task Assign_MembersOwnNoteWithNoForwardOrFile_IsRefusedButAnInlineForwardIsFiled()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 20));
        await IngestAsync(Mail("TN-115-0001 我已打過電話", "已聯繫。"));
        var note = _harness.Get<MailRepository>().List(null).Max(mail => mail.MailId);

        var refusal = Assert.Throws<MailIntake.Worker.Application.NoticeRuleException>(() =>
            _harness.Run(_harness.Get<MailIntake.Worker.Application.AssignMail>().ExecuteAsync(new(note, notice.Reference), CancellationToken.None)));

        Assert.Equal(MailIntake.Worker.Application.NoticeRuleCode.MailFromMemberOnly, refusal.Code);
        Assert.Equal("林書記", refusal.Value);
        Assert.Empty(_harness.Get<ReplyRepository>().ListForNotice(notice.Id));

        await IngestAsync(Mail("FW: 限期改善單回覆", "請協助歸檔。\n\n寄件者: 李大同 <org1@intake.test>\n主旨: 回覆\n\n填寫人：李大同 / 06-2345678 / org1@intake.test"));
        var forward = _harness.Get<MailRepository>().List(null).Max(mail => mail.MailId);
        _harness.Run(_harness.Get<MailIntake.Worker.Application.AssignMail>().ExecuteAsync(new(forward, notice.Reference), CancellationToken.None));
        Assert.Single(_harness.Get<ReplyRepository>().ListForNotice(notice.Id));
    }

    public void Dispose() => _harness.Dispose();

    private static MimeMessage Mail(string subject, string text)
    {
        var message = new MimeMessage { Subject = subject, MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("intake.test") };
        message.From.Add(MailboxAddress.Parse("clerk@intake.test"));
        message.To.Add(MailboxAddress.Parse("center@intake.test"));
        message.Body = new TextPart("plain") { Text = text };
        return message;
    }

    private Task<RecordResult> IngestAsync(MimeMessage message) =>
        _harness.Get<IntakeProcessor>().IngestAsync(TestMail.Serialize(message), "test", checkpoint: null, CancellationToken.None);
}
