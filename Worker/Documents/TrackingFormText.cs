using System.Globalization;
using MailIntake.Parsing;
using MailIntake.Storage;

namespace MailIntake.Worker.Documents;

/// <summary>
/// The words of the tracking evaluation form (追蹤評估表), the second page of the paper form
/// 附件八: three follow-up blocks with the paper's options, the recorded one ticked with its
/// blanks filled, the others left as on paper so the page can still be completed by hand.
/// </summary>
internal static class TrackingFormText
{
    public const string Subtitle = "追蹤評估表";

    private const int LastRound = 3;
    private const string DateBlank = "\u3000\u3000";
    private const string NoteBlank = "\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000";

    private static readonly string[] RoundNames = ["第一次", "第二次", "第三次"];

    private static readonly string[] Notes =
    [
        "說明：",
        "一、改善機關應依限期改善單上所列項目進行改善，並於主管機關所訂之期限內提出改善處理情形及相關佐證資料。",
        "二、主管機關於改善期限前後指派專人追蹤改善情形，並可視嚴重程度自訂改善期限、追蹤頻率(最多三次)與中止服務時程。如無法於指定期限內完成改善事項，由主管機關知會改善機關中止交換系統服務時間，並填寫連線異動表附上限期改善單至檔案管理局(公文 G2B2C資訊服務中心)辦理。",
    ];

    public static ExportPage Page(NoticeExport export)
    {
        ArgumentNullException.ThrowIfNull(export);
        var rounds = RoundsByNumber(export.Detail.Rounds.Select(round => Tracked.Of(round, export.Zone)).ToList());
        var rows = new List<ExportRow>
        {
            new ExportSection("交換中心主管機關追蹤評估意見"),
            new ExportField("改善對象", ["機關（構）代碼/機關（構）名稱：", $"{export.Notice.OrgCode} / {export.Notice.OrgName}"]),
        };

        for (var number = 1; number <= LastRound; number++)
        {
            var round = rounds.GetValueOrDefault(number);
            rows.Add(new ExportField($"{RoundNames[number - 1]}\n追蹤結果", [.. Options(number, round, export), .. TrackerNote(round)]));
            rows.Add(new ExportPair("追蹤人員", round?.Round.By ?? string.Empty, "追蹤日期", round is null ? string.Empty : RocDate.Format(round.TrackedOn)));
        }

        return new ExportPage(NoticeFormText.Title, Subtitle, $"限期改善單編號：{export.Notice.Reference}", rows, Notes);
    }

    /// <summary>
    /// A recorded round with its tracking date (追蹤日期) in the center's zone; for a suspension that is also the day the
    /// organisation was told, because the center notifies it when it records the suspension.
    /// </summary>
    private sealed record Tracked(FollowUp Round, DateOnly TrackedOn)
    {
        public static Tracked Of(FollowUp round, TimeZoneInfo zone) =>
            new(round, DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(round.At, zone).DateTime));
    }

    /// <summary>The tracker's note of a round whose option has no blank for it (every result but 其他, which prints it in its blank).</summary>
    private static IEnumerable<ExportLine> TrackerNote(Tracked? round) =>
        round is { Round: { Note: { } note, Result: not RoundResult.Other } } && !string.IsNullOrWhiteSpace(note)
            ? [$"追蹤說明：{note}"]
            : [];

    private static Dictionary<int, Tracked> RoundsByNumber(IReadOnlyList<Tracked> tracked)
    {
        var byNumber = new Dictionary<int, Tracked>();
        foreach (var entry in tracked)
        {
            var round = entry.Round;
            // Storage already refuses these; a form printed from bad data would mislead a filing clerk.
            if (round.Round is < 1 or > LastRound)
            {
                throw new ArgumentException($"追蹤次數 {round.Round} 不在 1 至 3 之間。", nameof(NoticeExport.Detail));
            }

            if (!byNumber.TryAdd(round.Round, entry))
            {
                throw new ArgumentException($"第 {round.Round} 次追蹤重複。", nameof(NoticeExport.Detail));
            }
        }

        return byNumber;
    }

    private static List<ExportLine> Options(int number, Tracked? tracked, NoticeExport export)
    {
        var round = tracked?.Round;
        var result = round?.Result;
        // Told on the day its suspension notice left (and did not bounce): the form never says an organisation was notified
        // that was not, nor on a day before the notice waiting in the outbox reached it.
        var notified = result == RoundResult.Suspended ? SuspensionNoticeSentOn(export.Detail.Outbound, export.Zone) : null;
        var suspendFrom = result == RoundResult.Suspended ? round!.SuspendFrom : null;
        var completed = Option(result == RoundResult.Completed, "改善完成。");

        if (number == LastRound)
        {
            // The third follow-up is the last: the paper offers only completion or suspension.
            if (result is not (null or RoundResult.Completed or RoundResult.Suspended))
            {
                throw new ArgumentException($"第三次追蹤只能是改善完成或中止交換服務，不能是「{Application.Labels.Result(result!.Value)}」。", nameof(NoticeExport.Detail));
            }

            return [completed, Suspension(result, "尚未完成，", notified, suspendFrom)];
        }

        if (result is not (null or RoundResult.Completed or RoundResult.Extended or RoundResult.Suspended or RoundResult.Other))
        {
            throw new ArgumentException($"未知的追蹤結果「{result}」。", nameof(NoticeExport.Detail));
        }

        var until = result == RoundResult.Extended ? round!.Until : null;
        var note = result == RoundResult.Other ? round!.Note : null;

        // The paper words the first round's suspension "因事態嚴重" (decided before the deadline) and the second's without
        // it; a first round that suspends after the deadline passed unmet says that instead of a reason nobody gave.
        var suspensionLead = number != 1 ? "尚未完成，"
            : result == RoundResult.Suspended && Application.SuspensionTiming.AfterDeadline(
                Application.SuspensionTiming.Told(export.Detail.Notice, export.Detail.Rounds, export.Detail.Outbound), round!, export.Zone)
                ? "尚未完成，已逾改善期限，"
                : "尚未完成，因事態嚴重，";
        return
        [
            completed,
            Option(result == RoundResult.Extended, [new("尚未完成，再給予改善期限至"), .. Date(until), new("。" + Untold(export.Detail, round))]),
            Suspension(result, suspensionLead, notified, suspendFrom),
            Option(result == RoundResult.Other, [new("其他："), new(string.IsNullOrWhiteSpace(note) ? NoteBlank : note, Underlined: true), new("。")]),
        ];
    }

    /// <summary>
    /// An extension whose mail never reached the organisation (still waiting, failed, withdrawn, bounced) is said so on the
    /// form: the Archives never read of a deadline the organisation was given that it was not.
    /// </summary>
    private static string Untold(Application.NoticeDetail detail, FollowUp? round) =>
        round is { Result: RoundResult.Extended }
        && detail.Outbound.FirstOrDefault(mail => mail.Kind == OutboundKind.Extension && Outbound.ExtensionMailer.RoundOf(mail) == round.Round) is { } mail
        && (mail.SentAt is null || mail.Status == OutboundStatus.Bounced)
            ? mail.Status switch
            {
                OutboundStatus.Bounced => "（展延通知遭退信，機關未獲告知）",
                OutboundStatus.Withdrawn => "（展延通知未寄出即撤回，機關未獲告知）",
                _ => "（展延通知尚未寄達機關）",
            }
            : string.Empty;

    /// <summary>The day the notice's suspension notice left and did not bounce; null while it has not.</summary>
    public static DateOnly? SuspensionNoticeSentOn(IReadOnlyList<OutboundMail> outbound, TimeZoneInfo zone) =>
        Application.SuspensionTiming.NoticeSentAt(outbound) is { } sent ? Application.RequestChecks.Day(sent, zone) : null;

    private static ExportLine Suspension(RoundResult? result, string lead, DateOnly? notified, DateOnly? suspendFrom) =>
        Option(result == RoundResult.Suspended,
            [new(lead + "已於"), .. Date(notified), new("通知改善機關於"), .. Date(suspendFrom), new("起中止交換服務。")]);

    private static ExportLine Option(bool ticked, string text) => new([new ExportSpan(text)], ticked);

    private static ExportLine Option(bool ticked, ExportSpan[] spans) => new(spans, ticked);

    /// <summary>A ROC date written into the paper's ___年___月___日 after 中華民國, or the empty blanks.</summary>
    private static ExportSpan[] Date(DateOnly? date)
    {
        string Part(Func<DateOnly, int> part, string format) =>
            date is { } value ? part(value).ToString(format, CultureInfo.InvariantCulture) : DateBlank;

        // A filled date reads as 公文 write it (中華民國115年12月24日); an empty one keeps the paper's ___年___月___日.
        return
        [
            new(date is null ? string.Empty : "中華民國"),
            new(Part(RocDate.ToRocYear, "0"), Underlined: true),
            new("年"),
            new(Part(value => value.Month, "0"), Underlined: true),
            new("月"),
            new(Part(value => value.Day, "0"), Underlined: true),
            new("日"),
        ];
    }
}
