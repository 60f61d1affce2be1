using MailIntake.Storage;
using MailIntake.Worker.Documents;

namespace MailIntake.Worker.Tests.Documents;

public class NoticeExportHtmlTests
{
    private static string Letters(NoticeExport export) => ExportText.OfHtml(NoticeExportHtml.Create(export));

    [Fact]
    public void Create_SampleExport_HasReferenceOrgCodeAndRocDeadline()
    {
        var letters = Letters(SampleExport.Full);

        Assert.Contains("公文電子交換系統限期改善單", letters);
        Assert.Contains("編號：TN-115-0001", letters);
        Assert.Contains("XC12345678/台南市示範公會", letters);
        Assert.Contains("應於中華民國115年12月10日前改善完竣。", letters);
    }

    /// <summary>h10w #16: a date the organisation wrote is never filed as 「（未填）」, nor an impossible one as plain fact.</summary>
    [Fact]
    public void Create_ReplyWithAnUnreadableCompletionDate_RepeatsItAsWrittenWithTheDoubt()
    {
        var letters = Letters(SampleExport.WithReply(SampleExport.Reply with { CompletedOn = null, CompletedOnUnreadable = "115年13月1日" }));

        Assert.Contains("完成改善日期：填寫「115年13月1日」，無法辨識為日期", letters);
        Assert.DoesNotContain("完成改善日期：（未填）", letters);
    }

    [Fact]
    public void Create_ReplyWithACompletionDateAfterItArrived_MarksTheDateAsDoubtful()
    {
        var letters = Letters(SampleExport.WithReply(SampleExport.Reply with { CompletedOn = new DateOnly(2026, 12, 20) }));

        Assert.Contains("本用戶已於中華民國115年12月20日完成以下改善事項：", letters);
        Assert.Contains("⚠日期有疑義：所填完成改善日期中華民國115年12月20日晚於本中心收件日中華民國115年12月2日", letters);
    }

    [Fact]
    public void Create_SampleExport_IsA4PrintableTraditionalChinesePage()
    {
        var html = NoticeExportHtml.Create(SampleExport.Full);

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("lang=\"zh-Hant-TW\"", html, StringComparison.Ordinal);
        Assert.Contains("size: A4", html, StringComparison.Ordinal);
        Assert.Contains("\"Noto Sans CJK TC\", \"Microsoft JhengHei\"", html, StringComparison.Ordinal);
        Assert.Contains("page-break-before: always", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_RoundOneExtended_TicksNewDeadlineAndLeavesCompletedUnticked()
    {
        var roundOne = ExportText.Round(Letters(SampleExport.Full), 1);

        Assert.Contains("■尚未完成，再給予改善期限至中華民國115年12月20日。", roundOne);
        Assert.Contains("□改善完成。", roundOne);
        Assert.Contains("□尚未完成，因事態嚴重，已於年月日通知改善機關於年月日起中止交換服務。", roundOne);
        Assert.Contains("□其他：。", roundOne);
        Assert.Equal(1, roundOne.Count(letter => letter == '■'));
    }

    [Fact]
    public void Create_ThreeRecordedRounds_ShowsEachTrackerAndRocDate()
    {
        var letters = Letters(SampleExport.Full);

        Assert.Contains("追蹤人員王承辦追蹤日期中華民國115年12月15日", ExportText.Round(letters, 1));
        Assert.Contains("追蹤人員陳督導追蹤日期中華民國115年12月21日", ExportText.Round(letters, 2));
        Assert.Contains("追蹤人員林科長追蹤日期中華民國116年1月11日", ExportText.Round(letters, 3));
    }

    [Fact]
    public void Create_RoundThree_ListsOnlyCompletedAndSuspension()
    {
        var roundThree = ExportText.Round(Letters(SampleExport.With(SampleExport.RoundOne)), 3);

        Assert.Equal(2, ExportText.Boxes(roundThree));
        Assert.Contains("□改善完成。", roundThree);
        Assert.Contains("□尚未完成，已於年月日通知改善機關於年月日起中止交換服務。", roundThree);
    }

    [Fact]
    public void Create_RoundThreeSuspended_FillsNotifiedAndSuspensionDates()
    {
        var roundThree = ExportText.Round(Letters(SampleExport.Full), 3);

        Assert.Contains("■尚未完成，已於中華民國116年1月11日通知改善機關於中華民國116年1月18日起中止交換服務。", roundThree);
        Assert.Contains("□改善完成。", roundThree);
    }

    [Fact]
    public void Create_RoundOneSuspendedAfterTheDeadlinePassed_SaysTheDeadlinePassedNotSeriousness()
    {
        var suspended = new FollowUp(1, RoundResult.Suspended, null, new DateOnly(2026, 12, 20), "王承辦", SampleExport.TaipeiMorning(2026, 12, 15), null);
        var export = SampleExport.With(suspended);
        export = export with { Detail = export.Detail with { Notice = export.Detail.Notice with { Deadline = new DateOnly(2026, 12, 10) } } };

        var roundOne = ExportText.Round(Letters(export), 1);

        Assert.Contains("■尚未完成，已逾改善期限，已於中華民國115年12月15日通知改善機關於中華民國115年12月20日起中止交換服務。", roundOne);
        Assert.DoesNotContain("因事態嚴重", roundOne);
    }

    /// <summary>
    /// Hostile finding h10x F1: the tracking form sent to the Archives ticked 「再給予改善期限至…」 for an extension whose mail
    /// was withdrawn unsent (its deadline came while it waited): it says the organisation was never told.
    /// </summary>
    [Fact]
    public void Create_ExtensionWhoseMailWasWithdrawnUnsent_SaysTheOrganisationWasNotTold()
    {
        var extended = new FollowUp(1, RoundResult.Extended, new DateOnly(2026, 12, 20), null, "王承辦", SampleExport.TaipeiMorning(2026, 12, 11), null);
        var export = SampleExport.With(extended);
        var withdrawn = new OutboundMail(10, OutboundKind.Extension, 1, ["org1@example.tw"], "【展延通知】", $"extension:{export.Detail.Notice.Reference}:1",
            "e@intake.test", "outbound/e.eml", OutboundStatus.Withdrawn, 0, SampleExport.TaipeiMorning(2026, 12, 11), null, null, []) { FollowUpRound = 1 };
        export = export with { Detail = export.Detail with { Outbound = [withdrawn] } };

        var roundOne = ExportText.Round(Letters(export), 1);

        Assert.Contains("■尚未完成，再給予改善期限至中華民國115年12月20日。（展延通知未寄出即撤回，機關未獲告知）", roundOne);
    }

    /// <summary>h10x #5: 「已中止交換服務」 was printed on the day a suspension from a later date was recorded.</summary>
    [Fact]
    public void Create_SuspendedNotice_StatesTheDayTheSuspensionTakesEffectNotThatItHasStopped()
    {
        var export = SampleExport.Full;
        export = export with { Detail = export.Detail with { Notice = export.Detail.Notice with { Status = NoticeStatus.Suspended } } };

        var letters = Letters(export);

        Assert.Contains("辦理狀態自中華民國116年1月18日起中止交換服務", letters);
        Assert.DoesNotContain("已中止交換服務", letters);
    }

    [Fact]
    public void Create_RoundOneSuspendedBeforeTheDeadline_KeepsThePapersSeriousnessClause()
    {
        var suspended = new FollowUp(1, RoundResult.Suspended, null, new DateOnly(2026, 12, 20), "王承辦", SampleExport.TaipeiMorning(2026, 12, 8), "持續連線");
        var export = SampleExport.With(suspended);
        export = export with { Detail = export.Detail with { Notice = export.Detail.Notice with { Deadline = new DateOnly(2026, 12, 10) } } };

        var roundOne = ExportText.Round(Letters(export), 1);

        Assert.Contains("■尚未完成，因事態嚴重，已於中華民國115年12月8日通知改善機關於中華民國115年12月20日起中止交換服務。", roundOne);
    }

    [Fact]
    public void Create_RoundTwoWording_FollowsThePaperWithoutSeriousnessClause()
    {
        var roundTwo = ExportText.Round(Letters(SampleExport.Full), 2);

        Assert.Equal(4, ExportText.Boxes(roundTwo));
        Assert.Contains("■尚未完成，再給予改善期限至中華民國116年1月8日。", roundTwo);
        Assert.Contains("□尚未完成，已於年月日通知改善機關於年月日起中止交換服務。", roundTwo);
        Assert.DoesNotContain("因事態嚴重", roundTwo);
    }

    [Fact]
    public void Create_RoundOneOther_FillsTheNote()
    {
        var other = new FollowUp(1, RoundResult.Other, null, null, "王承辦", SampleExport.TaipeiMorning(2026, 12, 15), "待補送公文文號清單");

        var roundOne = ExportText.Round(Letters(SampleExport.With(other)), 1);

        Assert.Contains("■其他：待補送公文文號清單。", roundOne);
        Assert.Contains("□尚未完成，再給予改善期限至年月日。", roundOne);
    }

    [Fact]
    public void Create_NoRoundsRecorded_LeavesEveryOptionUntickedAndTrackersBlank()
    {
        var letters = Letters(SampleExport.With());

        Assert.All([1, 2, 3], round =>
        {
            var text = ExportText.Round(letters, round);
            Assert.DoesNotContain("■", text, StringComparison.Ordinal);
            Assert.EndsWith("追蹤人員追蹤日期", text, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Create_ReplyWithFiles_ListsFillerCompletionDateAnswersAndFilesByItem()
    {
        var letters = Letters(SampleExport.Full);

        Assert.Contains("李大同/06-2345678/lee@org1.example.tw", letters);
        Assert.Contains("本用戶已於中華民國115年12月1日完成以下改善事項：1.經查係員工開啟釣魚郵件所致，已由防火牆設定阻擋規則。2.已全機掃毒，未發現惡意程式。", letters);
        Assert.Contains("收件時間：中華民國115年12月2日10:15", letters);
        Assert.Matches("附件1firewall.png.*附件2掃毒結果.pdf.*未標項次說明.txt", letters);
    }

    [Fact]
    public void Create_PhoneCall_ListsTimeInZoneCallerResultAndNote()
    {
        Assert.Contains("中華民國115年12月3日09:30王承辦已聯繫確認：李大同確認已寄出佐證資料", Letters(SampleExport.Full));
    }

    [Fact]
    public void Create_NoteWithMarkup_EncodesIt()
    {
        var other = new FollowUp(1, RoundResult.Other, null, null, "王承辦", SampleExport.TaipeiMorning(2026, 12, 15), "<script>alert(1)</script>");

        var html = NoticeExportHtml.Create(SampleExport.With(other));

        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_RoundThreeExtended_RefusesBecauseThePaperHasNoSuchOption()
    {
        var extended = new FollowUp(3, RoundResult.Extended, new DateOnly(2027, 2, 1), null, "林科長", SampleExport.TaipeiMorning(2027, 1, 11), null);

        var error = Assert.Throws<ArgumentException>(() => NoticeExportHtml.Create(SampleExport.With(extended)));

        Assert.Contains("第三次追蹤", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_ExtensionWithNote_PrintsTheNoteOnItsRound()
    {
        var extended = SampleExport.RoundOne with { Note = "機關申請展延，附件3尚缺" };

        var roundOne = ExportText.Round(Letters(SampleExport.With(extended)), 1);

        Assert.Contains("■尚未完成，再給予改善期限至中華民國115年12月20日。", roundOne);
        Assert.Contains("追蹤說明：機關申請展延，附件3尚缺", roundOne);
    }
}
