using MailIntake.Storage;
using MailIntake.Worker.Application;
using MailIntake.Worker.Intake;
using MimeKit;

namespace MailIntake.Worker.Tests.Application;

/// <summary>
/// <c>mail show</c>'s view of a mail that failed: staff can tell whose reply is stuck (sender and subject from the raw
/// message), it is not settled, and an attachment kept in no evidence file names none.
/// </summary>
public sealed class MailDetailQueryTests : IDisposable
{
    private readonly WorkerHarness _harness = new(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(8)));

    private string Data => Path.Combine(_harness.Folder, "data");

    [Fact]
    public async Task Get_MailFailingToProcess_ShowsSenderAndSubjectFromTheRawMailAndIsNotSettled()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 20));
        // The receipt cannot be queued: every attempt to file the reply fails (a passing error, retried).
        Directory.CreateDirectory(Data);
        await File.WriteAllTextAsync(Path.Combine(Data, "outbound"), "a file where the outbox folder belongs");
        var mailId = (await IngestAsync(Reply($"回覆 {notice.Reference} 改善完成", "org1@intake.test"))).MailId;

        var detail = _harness.Get<MailDetailQuery>().Get(mailId);

        Assert.True(detail.Mail.Kind is MailKind.Received or MailKind.Failed, $"{detail.Mail}");
        Assert.Equal($"回覆 {notice.Reference} 改善完成", detail.Subject);
        Assert.Equal("org1@intake.test", detail.FromAddress);
        Assert.False(detail.Mail.Settled, "a mail still failing is not settled");
        // h10w #9: the list staff read (mail list, the digest's failed mails) names it too, not only mail show.
        var listed = _harness.Get<MailRepository>().List(null).Single(mail => mail.MailId == mailId);
        Assert.Equal(("org1@intake.test", $"回覆 {notice.Reference} 改善完成"), (listed.From, listed.Subject));
    }

    [Fact]
    public async Task Get_AttachmentOverTheSizeLimit_NamesNoEvidenceFile()
    {
        using var harness = new WorkerHarness(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(8)),
            new Dictionary<string, string?> { ["MailIntake:Mailbox:MaxAttachmentBytes"] = "1000" });
        var notice = harness.IssueNotice(new DateOnly(2026, 12, 20));
        var message = Reply($"回覆 {notice.Reference}", "org1@intake.test");
        var body = new BodyBuilder { TextBody = "附件過大" };
        body.Attachments.Add("big.bin", new byte[3000]);
        message.Body = body.ToMessageBody();
        var mailId = (await harness.Get<IntakeProcessor>().IngestAsync(TestMail.Serialize(message), "test", checkpoint: null, CancellationToken.None)).MailId;

        var attachment = Assert.Single(harness.Get<MailDetailQuery>().Get(mailId).Attachments);

        Assert.Contains("not-stored", attachment.Flags);
        Assert.Null(attachment.StoredPath);
    }

    public void Dispose() => _harness.Dispose();

    private Task<RecordResult> IngestAsync(MimeMessage message) =>
        _harness.Get<IntakeProcessor>().IngestAsync(TestMail.Serialize(message), "test", checkpoint: null, CancellationToken.None);

    private static MimeMessage Reply(string subject, string from) => TestMail.Reply(subject, ["a.pdf"], from);
}
