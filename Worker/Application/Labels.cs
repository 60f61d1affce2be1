using System.Globalization;
using MailIntake.Parsing;
using MailIntake.Storage;

namespace MailIntake.Worker.Application;

/// <summary>
/// The zh-TW word for each code of the notice's vocabulary, and the one way dates and moments are written for people
/// (ROC dates as 公文 write them: 中華民國115年12月1日; moments: 中華民國115年12月1日 09:30). Every text class uses these.
/// </summary>
public static class Labels
{
    public static string Status(NoticeStatus status) => status switch
    {
        NoticeStatus.Issued => "已開立",
        NoticeStatus.Replied => "已回覆",
        NoticeStatus.Confirmed => "已電話確認",
        NoticeStatus.Extended => "展延中",
        NoticeStatus.Completed => "改善完成",
        // Not 「已中止」: a suspension is recorded (and the case closed) before the day the service stops.
        NoticeStatus.Suspended => "中止交換服務",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>
    /// A notice's status with, for a suspension, the day it takes effect: 「自中華民國115年12月31日起中止交換服務」 is true
    /// on the day it is recorded and after the service stopped alike (「已中止」 would not be, before that day).
    /// </summary>
    public static string Status(NoticeStatus status, DateOnly? suspendFrom) =>
        status == NoticeStatus.Suspended && suspendFrom is { } from ? $"自{Date(from)}起中止交換服務" : Status(status);

    public static string Result(RoundResult result) => result switch
    {
        RoundResult.Completed => "改善完成",
        RoundResult.Extended => "再給予改善期限",
        RoundResult.Suspended => "中止交換服務",
        RoundResult.Other => "其他",
        _ => throw new ArgumentOutOfRangeException(nameof(result), result, null),
    };

    public static string Phone(PhoneResult result) => result switch
    {
        PhoneResult.Reached => "已聯繫確認",
        PhoneResult.NoAnswer => "無人接聽",
        PhoneResult.WrongNumber => "電話號碼錯誤",
        _ => throw new ArgumentOutOfRangeException(nameof(result), result, null),
    };

    /// <summary>Said to a second caller of a reply already confirmed, so the organisation is not called again.</summary>
    public static string ConfirmedBefore(PhoneConfirmation call, TimeZoneInfo zone) =>
        $"郵件 #{call.MailId} 之回覆已於{Moment(call.At, zone)}由{call.By}電話確認，無須再致電機關";

    public static string Kind(MailKind kind) => kind switch
    {
        MailKind.Received => "待處理",
        MailKind.Reply => "回覆",
        MailKind.AutoReply => "自動回覆",
        MailKind.Bounce => "退信",
        MailKind.Unmatched => "未比對",
        MailKind.Ambiguous => "比對不明",
        MailKind.Suspicious => "可疑",
        MailKind.StaffAction => "承辦人郵件指令",
        MailKind.Failed => "處理失敗（持續重試）",
        MailKind.Damaged => "原始檔遺失或損壞",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>What <c>store verify</c> found, as staff read it.</summary>
    public static string StoreProblem(StoreProblemKind kind) => kind switch
    {
        StoreProblemKind.RawMissing => "原始郵件遺失",
        StoreProblemKind.RawDamaged => "原始郵件損壞",
        StoreProblemKind.RawOrphaned => "原始郵件未登錄",
        StoreProblemKind.EvidenceMissing => "佐證檔遺失",
        StoreProblemKind.EvidenceDamaged => "佐證檔損壞",
        StoreProblemKind.EvidenceOrphaned => "佐證檔無紀錄",
        StoreProblemKind.OutboundMissing => "待寄郵件檔遺失",
        StoreProblemKind.OutboundDamaged => "待寄郵件檔損壞",
        StoreProblemKind.OutboundOrphaned => "寄件檔無紀錄",
        StoreProblemKind.Leftover => "暫存殘檔",
        StoreProblemKind.Database => "資料庫",
        StoreProblemKind.Foreign => "非本系統寫入之檔案或連結（不予處理）",
        StoreProblemKind.Unreadable => "檔案無法讀取",
        StoreProblemKind.Unwritable => "檔案無法寫入",
        StoreProblemKind.ActionKey => "動作連結金鑰檔無法使用",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static string Method(MatchMethod method) => method switch
    {
        MatchMethod.Reference => "主旨或表單之編號",
        MatchMethod.Thread => "回覆郵件串",
        MatchMethod.OrgCode => "機關代碼",
        MatchMethod.Sender => "寄件者信箱",
        MatchMethod.Staff => "承辦人指定",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, null),
    };

    public static string Outbound(OutboundKind kind) => kind switch
    {
        OutboundKind.Notice => "限期改善單",
        OutboundKind.Receipt => "收件回執",
        OutboundKind.Reminder => "期限提醒",
        OutboundKind.Overdue => "逾期通知",
        OutboundKind.PhonePrompt => "電話確認提醒",
        OutboundKind.Digest => "每日摘要",
        OutboundKind.Suspension => "中止交換服務通知",
        OutboundKind.ArchivesReport => "檔案管理局通報",
        OutboundKind.Extension => "展延通知",
        OutboundKind.ActionAnswer => "郵件指令回覆",
        OutboundKind.MailNote => "待處理郵件通知",
        OutboundKind.BounceNote => "中止通知退信通知",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static string Delivery(OutboundStatus status) => status switch
    {
        OutboundStatus.Queued => "待寄",
        OutboundStatus.Sent => "已寄出",
        OutboundStatus.Failed => "寄送失敗",
        OutboundStatus.Bounced => "退信",
        OutboundStatus.Withdrawn => "已撤回（未寄出）",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static string Event(TimelineEvent @event) => @event switch
    {
        TimelineEvent.Issued => "開立",
        TimelineEvent.Queued => "排入寄送",
        TimelineEvent.Sent => "寄出",
        TimelineEvent.SendFailed => "寄送失敗",
        TimelineEvent.ReplyFiled => "收到回覆",
        TimelineEvent.Assigned => "承辦人指定回覆",
        TimelineEvent.Bounced => "退信",
        TimelineEvent.Receipt => "收件回執",
        TimelineEvent.ReceiptSuppressed => "回執未寄",
        TimelineEvent.Reminder => "期限提醒",
        TimelineEvent.Overdue => "逾期",
        TimelineEvent.PhonePrompt => "電話確認提醒",
        TimelineEvent.Confirmed => "電話確認",
        TimelineEvent.PhoneAttempt => "電話聯繫未果",
        TimelineEvent.FollowUp => "追蹤",
        TimelineEvent.Extended => "展延",
        TimelineEvent.Suspended => "中止交換服務",
        TimelineEvent.Reported => "通報檔案管理局",
        TimelineEvent.ViaMail => "經由郵件處理",
        TimelineEvent.Withdrawn => "撤回待寄郵件",
        TimelineEvent.Rewritten => "待寄郵件依現況重寫",
        _ => throw new ArgumentOutOfRangeException(nameof(@event), @event, null),
    };

    /// <summary>A date as 公文 write it: 中華民國115年12月1日.</summary>
    public static string Date(DateOnly date) => RocDate.Format(date);

    /// <summary>
    /// A mail's recorded arrival for people; one dated later than the time it carried says so, with that time and why
    /// (<see cref="CarriedArrivalNote"/>; <paramref name="noticeIssued"/>: the issue of the notice it is filed under). A mail
    /// staff filed under a notice issued after it came says that too (h30h P6).
    /// </summary>
    public static string Arrival(DateTimeOffset receivedAt, DateTimeOffset? carried, TimeZoneInfo zone, DateTimeOffset? noticeIssued = null) =>
        carried is { } before ? $"{Moments(before, receivedAt, zone).Second}（{CarriedArrivalNote(before, receivedAt, zone, noticeIssued)}）"
        : noticeIssued is { } issued && receivedAt < issued ? $"{Moments(receivedAt, issued, zone).First}（早於本限期改善單開立，經承辦人員確認後歸入）"
        : Moment(receivedAt, zone);

    /// <summary>
    /// Why a mail is dated <paramref name="dated"/>, not by the time it <paramref name="carried"/>: that time was before the
    /// notice it is filed under (<paramref name="noticeIssued"/>), or a <c>processed/</c> file's time a restore's re-read could
    /// not take (h30h P2) — said without a reason where the notice is not known.
    /// </summary>
    public static string CarriedArrivalNote(DateTimeOffset carried, DateTimeOffset dated, TimeZoneInfo zone, DateTimeOffset? noticeIssued = null)
    {
        var (was, now) = Moments(carried, dated, zone);
        return noticeIssued is not { } issued ? $"郵件所記收到時間{was}無法確認為其收到時間，改以{now}記錄"
            : carried < issued ? $"郵件所記收到時間{was}早於本限期改善單開立，非其收到時間，改以歸檔時間{now}記錄"
            : $"郵件所記收到時間{was}係資料還原後重新讀取時所得，無法確認為其收到時間，改以讀取時間{now}記錄";
    }

    /// <summary>A moment for people, in the center's time zone: 中華民國115年12月1日 09:30.</summary>
    public static string Moment(DateTimeOffset instant, TimeZoneInfo zone) => Moment(instant, zone, "HH:mm");

    /// <summary>Two moments told apart: with their seconds when their minutes read the same (h30h P5: 「02:50早於…改以02:50」).</summary>
    public static (string First, string Second) Moments(DateTimeOffset first, DateTimeOffset second, TimeZoneInfo zone) =>
        Moment(first, zone) == Moment(second, zone) && first != second
            ? (Moment(first, zone, "HH:mm:ss"), Moment(second, zone, "HH:mm:ss"))
            : (Moment(first, zone), Moment(second, zone));

    private static string Moment(DateTimeOffset instant, TimeZoneInfo zone, string time)
    {
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        return $"{RocDate.Format(DateOnly.FromDateTime(local.DateTime))} {local.ToString(time, CultureInfo.InvariantCulture)}";
    }

    /// <summary>A file size in words: 512 位元組, 1.5 KB, 2.3 MB.</summary>
    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} 位元組",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024.0:0.#} MB"),
    };
}
