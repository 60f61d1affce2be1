using MailIntake.Storage;
using MailIntake.Worker.Application;

namespace MailIntake.Worker.Tests.Notices;

/// <summary>
/// h30h P8: after a restore of an older backup, the next notice was given the reference of a notice issued since (to
/// another organisation): its replies, read again, name it. A reference a recorded mail names is never handed out again.
/// </summary>
public sealed class NoticeReferenceAfterRestoreTests : IDisposable
{
    private readonly WorkerHarness _harness = new(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(8)));

    [Fact]
    public async Task IssueNotice_NextReferenceNamedByARecordedMailWithNoSuchNotice_PassedOverAndSaid()
    {
        Assert.Equal("TN-115-0001", _harness.IssueNotice(new DateOnly(2026, 12, 20)).Reference);
        // The restored store lacks TN-115-0002 (and 0003); another organisation's replies read again name them.
        await _harness.ReceiveReplyAsync("RE: 【限期改善單】TN-115-0002 XC87654321 台南市範例協會", from: "contact@org2.example.tw");
        await _harness.ReceiveReplyAsync("補件 ＴＮ－１１５－０００３", from: "contact@org2.example.tw");
        // A typo far ahead in some subject does not move the numbering.
        await _harness.ReceiveReplyAsync("回覆 TN-115-0900", from: "contact@org2.example.tw");

        var next = _harness.IssueNotice(new DateOnly(2026, 12, 20));

        Assert.Equal("TN-115-0004", next.Reference);
        var issued = Assert.Single(_harness.Get<TimelineRepository>().List(next.Id), entry => entry.Event == TimelineEvent.Issued);
        Assert.Contains("編號 TN-115-0002、TN-115-0003 見於收到之郵件主旨而本資料庫查無其限期改善單（可能係資料還原前所開立），為免重複已跳過", issued.Detail, StringComparison.Ordinal);
        Assert.Equal("TN-115-0005", _harness.IssueNotice(new DateOnly(2026, 12, 20)).Reference);
    }

    /// <summary>
    /// h31h Q1: right after the restore, before the first pass read the drop folder's processed/ mails again, no recorded
    /// mail names the references issued since the backup: the next notice took one of them. It waits for the re-read.
    /// </summary>
    [Fact]
    public void IssueNotice_BeforeTheReadAgainARestoreLeft_RefusedSayingWhy()
    {
        _harness.Get<SweepMarkRepository>().TryMark(StoreBackup.RereadDropFolderMark, null, _harness.Time.GetUtcNow());

        var refusal = Assert.Throws<NoticeRuleException>(() => _harness.IssueNotice(new DateOnly(2026, 12, 20)));

        Assert.Equal(NoticeRuleCode.RereadPendingAfterRestore, refusal.Code);
        Assert.Empty(_harness.Get<NoticeRepository>().List());
    }

    public void Dispose() => _harness.Dispose();
}
