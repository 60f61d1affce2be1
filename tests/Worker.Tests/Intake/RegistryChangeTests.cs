using MailIntake.Parsing;
using MailIntake.Storage;

namespace MailIntake.Worker.Tests.Intake;

/// <summary>
/// The matcher's view of the registry is kept between mails: a registry write made after one mail is seen by the next
/// one the same worker processes.
/// </summary>
public sealed class RegistryChangeTests : IDisposable
{
    private readonly WorkerHarness _harness = new(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(8)));

    [Fact]
    public async Task IngestAsync_OrganisationAndNoticeAddedAfterAMail_NextMailNamingTheNewCodeIsFiledUnderTheNewNotice()
    {
        var first = _harness.IssueNotice(new DateOnly(2026, 12, 20));
        await _harness.ReceiveReplyAsync("回覆：機關代碼 XC12345678 處理情形");
        Assert.Equal(first.Reference, LatestMail().NoticeRef);
        await _harness.ReceiveReplyAsync("回覆：機關代碼 XC87654321 處理情形", from: "it@org2.example.tw");
        Assert.Equal(MailKind.Unmatched, LatestMail().Kind);

        _harness.Get<OrganisationRepository>().Upsert([new Organisation("XC87654321", "臺南市第二機關", ["it@org2.example.tw"], "06-7654321", "陳小華")], _harness.Time.GetUtcNow());
        var second = _harness.IssueNotice(new DateOnly(2026, 12, 20), orgCode: "XC87654321");
        await _harness.ReceiveReplyAsync("回覆：機關代碼 XC87654321 處理情形（再次寄送）", from: "it@org2.example.tw");

        Assert.Equal((MailKind.Reply, second.Reference), (LatestMail().Kind, LatestMail().NoticeRef));
        Assert.Equal(MatchMethod.OrgCode, _harness.Get<ReplyRepository>().ListForNotice(second.Id).Single().MatchedBy);
    }

    [Fact]
    public async Task IngestAsync_AddressRegisteredAfterAMailFromIt_NextMailFromItIsFiledBySender()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 20));
        await _harness.ReceiveReplyAsync("回覆：處理情形", from: "new@org1.example.tw");
        Assert.Equal(MailKind.Unmatched, LatestMail().Kind);

        _harness.Get<OrganisationRepository>().Upsert(
            [new Organisation("XC12345678", "台南市測試公會", ["org1@intake.test", "new@org1.example.tw"], "06-1234567", "李大同")], _harness.Time.GetUtcNow());
        await _harness.ReceiveReplyAsync("回覆：處理情形（補寄）", from: "new@org1.example.tw");

        Assert.Equal((MailKind.Reply, notice.Reference), (LatestMail().Kind, LatestMail().NoticeRef));
        Assert.Equal(MatchMethod.Sender, _harness.Get<ReplyRepository>().ListForNotice(notice.Id).Single().MatchedBy);
    }

    [Fact]
    public async Task IngestAsync_AddressRemovedAfterAMailFromIt_NextMailFromItIsNotFiled()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 20));
        await _harness.ReceiveReplyAsync("回覆：處理情形");
        Assert.Equal((MailKind.Reply, notice.Reference), (LatestMail().Kind, LatestMail().NoticeRef));

        _harness.Get<OrganisationRepository>().Upsert(
            [new Organisation("XC12345678", "台南市測試公會", ["other@org1.example.tw"], "06-1234567", "李大同")], _harness.Time.GetUtcNow());
        await _harness.ReceiveReplyAsync("回覆：處理情形（補寄）");

        Assert.Equal(MailKind.Unmatched, LatestMail().Kind);
        Assert.Single(_harness.Get<ReplyRepository>().ListForNotice(notice.Id));
    }

    private MailSummary LatestMail() => _harness.Get<MailRepository>().List(null).MaxBy(mail => mail.MailId)!;

    public void Dispose() => _harness.Dispose();
}
