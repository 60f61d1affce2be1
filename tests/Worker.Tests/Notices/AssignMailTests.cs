using MailIntake.Storage;
using MailIntake.Worker.Application;
using MailIntake.Worker.Intake;

namespace MailIntake.Worker.Tests.Notices;

public sealed class AssignMailTests : IDisposable
{
    private readonly WorkerHarness _harness = new(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(8)));

    private NoticeRuleException Refused(long mailId, Notice notice) =>
        Assert.Throws<NoticeRuleException>(() => _harness.Run(_harness.Get<AssignMail>().ExecuteAsync(new AssignMailCommand(mailId, notice.Reference), CancellationToken.None)));

    private long LatestMail() => _harness.Get<MailRepository>().List(null).Max(mail => mail.MailId);

    [Fact]
    public async Task ExecuteAsync_MailFromTheCentersOwnAddress_IsRefusedAndFilesNothing()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 20));
        await _harness.ReceiveReplyAsync("轉寄：請查收", from: "center@intake.test");
        var mailId = LatestMail();

        var refusal = Refused(mailId, notice);

        Assert.Equal(NoticeRuleCode.MailFromCenter, refusal.Code);
        Assert.False(refusal.IsBadRequest);
        Assert.Empty(_harness.Get<ReplyRepository>().ListForNotice(notice.Id));
        Assert.Equal(MailKind.Unmatched, _harness.Get<MailRepository>().List(null).Single(mail => mail.MailId == mailId).Kind);
    }

    [Fact]
    public async Task ExecuteAsync_MailThatIsNoMimeMessage_IsRefusedAsUnreadable()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 20));
        using var raw = new MemoryStream(Array.Empty<byte>());
        await _harness.Get<IntakeProcessor>().IngestAsync(raw, "test", checkpoint: null, CancellationToken.None);
        var mailId = LatestMail();

        var refusal = Refused(mailId, notice);

        Assert.Equal(NoticeRuleCode.MailUnreadable, refusal.Code);
        Assert.Empty(_harness.Get<ReplyRepository>().ListForNotice(notice.Id));
    }

    public void Dispose() => _harness.Dispose();
}
