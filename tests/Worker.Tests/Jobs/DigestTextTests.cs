using MailIntake.Storage;
using MailIntake.Worker.Application;
using MailIntake.Worker.Jobs;

namespace MailIntake.Worker.Tests.Jobs;

public sealed class DigestTextTests
{
    private static readonly TimeZoneInfo Taipei = TimeZoneInfo.FindSystemTimeZoneById("Asia/Taipei");
    private static readonly DateOnly Day = new(2026, 12, 7);

    private static Notice OpenNotice(int id) => new(
        id, $"TN-115-{id:0000}", $"XC{id:00000000}", $"機關{id}", NoticeStatus.Issued, "10.0.0.1", ["203.0.113.9"],
        new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 15), Day.AddDays(10), Day.AddDays(10), [], new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.FromHours(8)));

    private static DigestView WithOpen(int count)
    {
        var open = Enumerable.Range(1, count).Select(OpenNotice).ToList();
        var health = new HealthView([], false, 0, 0, 0, 0, 0, 0, 0, new ConnectionDropsView(0, 0, 0, null, null, 10));
        return new DigestView(Day, DateTimeOffset.MinValue, open, [], [], [], [], [], [], [], health, Array.Empty<Reply>().ToLookup(reply => 0L), [], []);
    }

    /// <summary>
    /// Hostile finding h10w #10: a held mail with a 30,000-character subject made each digest row about 200 KB; some 50 of
    /// them pushed every digest past the 10 MB a mail server takes. A cell a sender writes is cut to 200 characters.
    /// </summary>
    [Fact]
    public void PlainTextAndHtml_HeldMailsWithHugeSubjects_StayBoundedPerRow()
    {
        var held = Enumerable.Range(1, 21).Select(id => new MailSummary(id, $"<{id}@stranger.example>", MailKind.Unmatched, $"x{id}@stranger.example",
            $"請問{id} " + new string('長', 30_000), new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.FromHours(8)), null, "未比對", $"raw/{id}.eml")).ToList();
        var content = WithOpen(1) with { MailsToSettle = held };

        var text = DigestText.PlainText(content, Taipei);
        var html = DigestText.Html(content, Taipei);

        Assert.True(text.Length < 21 * 1_000 + 10_000, $"the text digest must stay about 1 KB a row: {text.Length} characters");
        Assert.True(html.Length < 21 * 2_000 + 20_000, $"the HTML digest must stay bounded per row: {html.Length} characters");
        Assert.Contains("共 30004 字", text, StringComparison.Ordinal);
    }

    /// <summary>h10x #21: the digest told clerks to run 「mail list --kind failed」 and blamed disks for a content error.</summary>
    [Fact]
    public void PlainTextAndHtml_MailsThatKeepFailingAndDamaged_ListTheMailsWithTheirReasonsAndNameNoCommand()
    {
        var failed = new MailSummary(5, "<x@org1.example.tw>", MailKind.Failed, "org1@intake.test", "RE: TN-115-0001 回覆",
            new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.FromHours(8)), null, "處理已失敗 5 次（資料庫忙碌）", "raw/5.eml");
        var health = new HealthView([], false, 0, 0, 0, 0, 0, 1, 1, new ConnectionDropsView(0, 0, 0, null, null, 10));
        var content = WithOpen(1) with { Health = health, FailedMails = [failed] };

        foreach (var body in new[] { DigestText.PlainText(content, Taipei), DigestText.Html(content, Taipei) })
        {
            Assert.Contains("處理一再失敗之郵件 1 封", body, StringComparison.Ordinal);
            Assert.Contains("處理失敗之郵件", body, StringComparison.Ordinal);
            Assert.Contains("#5", body, StringComparison.Ordinal);
            Assert.Contains("org1@intake.test", body, StringComparison.Ordinal);
            Assert.Contains("資料庫忙碌", body, StringComparison.Ordinal);
            foreach (var command in new[] { "mail list", "--kind", "store repair", "請檢查磁碟" })
            {
                Assert.DoesNotContain(command, body, StringComparison.Ordinal);
            }
        }
    }

    /// <summary>
    /// h15h K5: with action-link.key unusable the digest came without its buttons and without a word why. It says the
    /// buttons are left out because the action link key file cannot be used, and what to ask the administrator to look
    /// at — in words: a staff mail names no command.
    /// </summary>
    [Fact]
    public void PlainTextAndHtml_ActionKeyUnusable_SayTheButtonsAreLeftOutAndWhatToTellTheAdministratorNamingNoCommand()
    {
        var content = WithOpen(1) with { ActionKeyUnusable = true };

        foreach (var body in new[] { DigestText.PlainText(content, Taipei), DigestText.Html(content, Taipei) })
        {
            Assert.Contains("動作連結金鑰檔無法使用", body, StringComparison.Ordinal);
            Assert.Contains("未附動作按鈕", body, StringComparison.Ordinal);
            Assert.Contains("系統管理者", body, StringComparison.Ordinal);
            foreach (var command in new[] { "status", "store verify", "mailintake", "action-link.key", "rm ", "chown" })
            {
                Assert.DoesNotContain(command, body, StringComparison.Ordinal);
            }
        }

        foreach (var body in new[] { DigestText.PlainText(WithOpen(1), Taipei), DigestText.Html(WithOpen(1), Taipei) })
        {
            Assert.DoesNotContain("動作連結金鑰檔", body, StringComparison.Ordinal);
        }
    }

    /// <summary>h10w #15: the digest is a staff document in 公文 register: 之, not the casual 的.</summary>
    [Fact]
    public void PlainTextAndHtml_EveryEmptySection_IsWrittenWithoutTheCasualDe()
    {
        var content = WithOpen(0);

        foreach (var body in new[] { DigestText.PlainText(content, Taipei), DigestText.Html(content, Taipei) })
        {
            Assert.Contains("沒有待處理之郵件", body, StringComparison.Ordinal);
            Assert.DoesNotContain("的", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void PlainTextAndHtml_MoreOpenNoticesThanATableLists_CountAllListTheFirstAndSayHowManyAreNotListed()
    {
        var content = WithOpen(DigestText.MaxRowsPerSection + 7);

        foreach (var body in new[] { DigestText.PlainText(content, Taipei), DigestText.Html(content, Taipei) })
        {
            Assert.Contains($"未結案之限期改善單・依目前改善期限（{DigestText.MaxRowsPerSection + 7}）", body, StringComparison.Ordinal);
            Assert.Contains($"TN-115-{DigestText.MaxRowsPerSection:0000}", body, StringComparison.Ordinal);
            Assert.DoesNotContain($"TN-115-{DigestText.MaxRowsPerSection + 1:0000}", body, StringComparison.Ordinal);
            Assert.Contains($"另有 7 件未列出（每表至多列出 {DigestText.MaxRowsPerSection} 件）", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void PlainText_AsManyOpenNoticesAsATableLists_ListsThemAllAndSaysNothingIsLeftOut()
    {
        var body = DigestText.PlainText(WithOpen(DigestText.MaxRowsPerSection), Taipei);

        Assert.Contains($"TN-115-{DigestText.MaxRowsPerSection:0000}", body, StringComparison.Ordinal);
        Assert.DoesNotContain("未列出", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_FiftyThousandOpenNotices_StaysWellUnderWhatAMailServerTakes()
    {
        var content = WithOpen(50_000);

        var size = System.Text.Encoding.UTF8.GetByteCount(DigestText.PlainText(content, Taipei)) + System.Text.Encoding.UTF8.GetByteCount(DigestText.Html(content, Taipei));

        Assert.True(size < 2_000_000, $"the digest's bodies take {size:N0} bytes; Postfix refuses a mail over 10,240,000 by default");
    }
}
