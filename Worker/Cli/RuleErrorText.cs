using MailIntake.Worker.Application;

namespace MailIntake.Worker.Cli;

/// <summary>The command line's answer to a refused use case: exit 2 for a malformed request, 1 otherwise, and one zh-TW line naming the flag.</summary>
public static class RuleErrorText
{
    public static int ExitCode(NoticeRuleException refusal) => refusal.IsBadRequest ? 2 : 1;

    public static string Line(NoticeRuleException refusal)
    {
        var (subject, value) = (refusal.Subject, refusal.Value);
        return refusal.Code switch
        {
            NoticeRuleCode.ReferenceInvalid => $"「{value}」不是一個限期改善單編號（格式如 TN-115-0001，一次只能指定一件），未作任何變更",
            NoticeRuleCode.TrackerRequired => "--by 必須填寫承辦人員姓名",
            NoticeRuleCode.TrackerInvalid => $"--by 須為一行姓名（至多 {RequestChecks.MaxNameLength} 字，不含換行或控制字元）：{value}",
            NoticeRuleCode.InvalidHostIp => $"--host-ip 不是有效之 IPv4 或 IPv6 位址（IPv4 每段為 0–255，不加前導 0；須為一部電腦之位址，不可為 0.0.0.0、廣播、群播或本機位址）：{value}",
            NoticeRuleCode.InvalidMaliciousIp => $"--malicious-ip 不是有效之 IPv4 或 IPv6 位址（IPv4 每段為 0–255，不加前導 0；須為一部電腦之位址，不可為 0.0.0.0、廣播、群播或本機位址）：{value}",
            NoticeRuleCode.MaliciousIpIsHostIp => $"--malicious-ip 不可與 --host-ip 相同：{value}",
            NoticeRuleCode.TooManyMaliciousIps => $"--malicious-ip 至多 {RequestChecks.MaxMaliciousIps} 個位址（收到 {value} 個）",
            NoticeRuleCode.IncidentPeriodReversed => "--to 不可早於 --from",
            NoticeRuleCode.IncidentInFuture => $"--to 不可晚於今日（資安事件期間須已發生）：{value}",
            NoticeRuleCode.IncidentTooOld => $"--from 不可早於一年前：{value}",
            NoticeRuleCode.ItemsInvalid => $"--items-file 至多 {RequestChecks.MaxItems} 項，每項一行、至多 {RequestChecks.MaxItemLength} 字且不含控制字元（第 {value} 項不符）",
            NoticeRuleCode.DeadlineNotAfterToday => $"--deadline 須晚於今日（至少給予一日改善）：{value}",
            NoticeRuleCode.DeadlineTooFar => $"--deadline 不可晚於一年後：{value}",
            NoticeRuleCode.AtBeforeNotice => $"--at 不可早於限期改善單 {subject} 開立之時",
            NoticeRuleCode.AtInFuture => "--at 不可晚於現在",
            NoticeRuleCode.AtBeforePreviousRound => $"--at 不可早於限期改善單 {subject} 前一次追蹤之時間（{value}）",
            NoticeRuleCode.AtBeforeReply => $"--at 不可早於郵件 {subject} 之收件時間（{value}）：致電不能確認尚未收到之回覆",
            NoticeRuleCode.UntilRequired => "再給予改善期限（extended）需要 --until（新之改善期限）",
            NoticeRuleCode.UntilNotAfterDeadline => $"--until 須晚於目前之改善期限（{value}）",
            NoticeRuleCode.UntilNotAfterToday => $"--until 須晚於今日（新之改善期限至少給予一日改善）：{value}",
            NoticeRuleCode.UntilTooFar => $"--until 不可晚於一年後：{value}",
            NoticeRuleCode.UntilNotTaken => "--until 只用於再給予改善期限（extended）",
            NoticeRuleCode.SuspendFromRequired => "中止交換服務（suspended）需要 --suspend-from（中止日期）",
            NoticeRuleCode.SuspendFromNotTaken => "--suspend-from 只用於中止交換服務（suspended）",
            NoticeRuleCode.SuspendFromInPast => $"--suspend-from 不可早於今日（中止日期將通知機關與檔案管理局，不能溯及既往）：{value}",
            NoticeRuleCode.SuspendFromTooFar => $"--suspend-from 不可晚於一年後：{value}",
            NoticeRuleCode.SuspensionBackDated => $"中止交換服務之 --at 不可早於今日（中止交換服務於記錄時即通知機關與檔案管理局，通知日期不能溯及既往）：{value}",
            NoticeRuleCode.NoteRequired => "其他（other）需要 --note（說明）",
            NoticeRuleCode.NoteInvalid => $"--note 須為一行（至多 {RequestChecks.MaxNoteLength} 字，不含換行、控制字元、文字方向字元或無法保存之字元如 U+FFFF；收到 {value} 字）",
            NoticeRuleCode.ReasonRequired => "--reason 必須填寫不需處理之理由",
            NoticeRuleCode.ReasonInvalid => $"--reason 須為一行（至多 {RequestChecks.MaxNoteLength} 字，不含換行、控制字元、文字方向字元或無法保存之字元如 U+FFFF；收到 {value} 字）",
            NoticeRuleCode.OrganisationNotFound => $"找不到機關代碼 {subject}，請先以 orgs import 匯入",
            NoticeRuleCode.RereadPendingAfterRestore =>
                $"資料還原後尚未重新讀取收件資料夾之已處理郵件（{subject}）：還原後新開立之限期改善單編號可能與還原前已寄出者重複，未開立；請先執行 mailintake run --once（或待收件服務完成一輪收件）後再開立",
            NoticeRuleCode.FollowUpRereadPending =>
                $"收件資料夾之已處理郵件（{value}）尚未讀入本資料目錄（資料還原後尚未重新讀取，或曾由還原之副本收件），其中可能有機關之回覆，限期改善單 {subject} 未記錄追蹤；請先執行 mailintake run --once（或待收件服務完成一輪收件）後再記錄",
            NoticeRuleCode.SameIncidentOpen => $"機關 {value} 之同一資安事件（同一電腦 IP、惡意 IP 與事件期間）已有未結案之限期改善單 {subject}，未重複開立；如確需再次開立（例如原件退信、機關信箱已更正），請加上 --again",
            NoticeRuleCode.OrganisationHasNoEmail => $"機關 {subject} 沒有登記電子郵件，無法寄送；請補登或使用 --no-send",
            NoticeRuleCode.NoticeNotFound => $"找不到限期改善單 {subject}",
            NoticeRuleCode.MailNotFound => $"找不到郵件 {subject}",
            NoticeRuleCode.NoticeClosed => $"限期改善單 {subject} 已結案（{StatusWord(value)}），不再追蹤",
            NoticeRuleCode.NoMoreRounds => $"限期改善單 {subject} 已追蹤 {NoticeStateMachine.MaxRounds} 次，不能再追蹤",
            NoticeRuleCode.RoundThreeOnlyCompletedOrSuspended => $"限期改善單 {subject} 第 {NoticeStateMachine.MaxRounds} 次追蹤只能是改善完成（completed）或中止交換服務（suspended）",
            NoticeRuleCode.NoticeNotYetSent => $"限期改善單 {subject} 尚未寄達機關（郵件仍待寄送或寄送失敗），不能據以中止交換服務；請先確認寄送",
            NoticeRuleCode.NoticeBounced => $"限期改善單 {subject} 寄給 {value} 均遭退信，機關未收到，不能據以中止交換服務；請更正機關電子郵件（orgs import）後重新開立（notice issue --again），或以紙本送達（notice issue --no-send --again）",
            NoticeRuleCode.ExtensionUnmailable => $"機關 {subject} 目前沒有登記電子郵件，展延通知無法寄送，不能展延限期改善單 {value} 之改善期限；請先補登機關電子郵件（orgs import）",
            NoticeRuleCode.ExtensionOfUnsentNotice => $"限期改善單 {subject} 尚未寄達機關（郵件仍待寄送或寄送失敗），不能據以展延改善期限；請先確認寄送",
            NoticeRuleCode.RoundOfUnsentNotice => $"限期改善單 {subject} 尚未寄達機關（郵件仍待寄送或寄送失敗），不能據以記錄追蹤評估（其他）；請先確認寄送（如案件已另行解決，可記錄改善完成，待寄之限期改善單即撤回不寄）",
            NoticeRuleCode.SuspensionUnmailable => $"機關 {subject} 目前沒有登記電子郵件，中止交換服務通知無法寄送，不能據以中止限期改善單 {value} 之交換服務；請先補登機關電子郵件（orgs import）",
            NoticeRuleCode.ArchivesRecipientsUnset => $"未設定檔案管理局通報收件者（Archives:ReportRecipients），中止交換服務須同時通報檔案管理局，限期改善單 {subject} 未記錄；請於設定檔或環境變數 MailIntake__Archives__ReportRecipients__0 設定後再試",
            NoticeRuleCode.ExtensionOfBouncedNotice => $"限期改善單 {subject} 寄給 {value} 均遭退信，機關未收到，不能據以展延改善期限（展延通知將寄往同一失效信箱）；請更正機關電子郵件（orgs import）後重新開立（notice issue --again），或以紙本送達（notice issue --no-send --again）",
            NoticeRuleCode.SuspensionWhileMailHeld => $"限期改善單 {subject} 未記錄中止交換服務：{value}，尚未歸入或註記不需處理，可能為機關之回覆；請先以 mail assign 郵件編號 {subject} 歸入或以 mail dismiss 註記不需處理，如確需仍予中止，請加上 {DespiteWaitingMail}",
            NoticeRuleCode.SuspensionWhileMailFailing => $"限期改善單 {subject} 未記錄中止交換服務：{value}處理失敗、仍待系統重試而尚未歸檔，可能為機關之回覆；請先排除其失敗原因（見 status 與 mail show 郵件編號），待其歸檔後再決定，如確需仍予中止，請加上 {DespiteWaitingMail}",
            NoticeRuleCode.SuspensionWhileExtensionQueued => $"限期改善單 {subject} 未記錄中止交換服務：本案{value}尚未寄出（仍待寄送），機關尚未獲告知該展延；請先寄出（jobs run outbox）再決定，如確需依已告知之改善期限中止交換服務（該展延通知將撤回不寄），請加上 {DespiteWaitingMail}",
            NoticeRuleCode.CompletionWhileMailFailing => $"限期改善單 {subject} 未記錄改善完成：{value}處理失敗、仍待系統重試而尚未歸檔，可能為機關之回覆（以電子郵件方式回復者，應再以電話確認之）；請先排除其失敗原因（見 status 與 mail show 郵件編號），待其歸檔並確認後再記錄",
            NoticeRuleCode.CompletionAwaitsPhone => $"限期改善單 {subject} 之電子郵件回覆（郵件 {value}）尚未以電話確認（以電子郵件方式回復者，應再以電話確認之）；請先以 notice confirm-phone 記錄致電結果，再記錄改善完成",
            NoticeRuleCode.MailNotReplyOfNotice => $"郵件 {subject} 不是限期改善單 {value} 之電子郵件回覆，未作任何變更",
            NoticeRuleCode.NoReplyToConfirm => $"限期改善單 {subject} 尚未收到電子郵件回覆，沒有可電話確認之回覆",
            NoticeRuleCode.MailNotSettleable => $"郵件 {subject} {value}；只有未比對、比對不明或可疑之郵件可以指定或註記不需處理，未作任何變更",
            NoticeRuleCode.MailAlreadySettled => $"郵件 {subject} {value}，未作任何變更",
            NoticeRuleCode.MailCarriesAction => $"郵件 {subject} 帶有承辦人員之動作識別碼，是經由郵件之指令而非機關回覆，不能歸入限期改善單；請以 mail dismiss 註記",
            NoticeRuleCode.StaleRound => $"--round {value} 不是限期改善單 {subject} 之下一次追蹤（第 {value} 次追蹤已有紀錄或尚未輪到），本次未變更任何資料",
            NoticeRuleCode.RoundRepeated => $"限期改善單 {subject} 第 {value} 次追蹤今日已記錄相同內容（同一結果、追蹤人員與說明），未重複記錄；如確需再記錄一次，請加上 --round {NextRound(value)}",
            NoticeRuleCode.RoundRecordedMeanwhile => $"限期改善單 {subject} 於本指令執行期間已記錄{value}，本次未記錄；請以 notice show {subject} 查看後，再決定是否記錄下一次追蹤",
            NoticeRuleCode.StalePhonePrompt => $"限期改善單 {subject} 在通話前又收到郵件 {value} 之回覆（晚於 --mail 所指之回覆），本次未變更任何資料；請先閱讀該回覆，再記錄致電結果",
            NoticeRuleCode.MailFromCenter => $"郵件 {subject} 是本中心自己之信箱（{value}）寄出，不是機關之回覆，不能歸入限期改善單",
            NoticeRuleCode.MailFromMemberOnly => $"郵件 {subject} 是本中心承辦人員 {value} 自己寄出，未轉寄機關之郵件亦未附檔案，不是機關之回覆，不能歸入限期改善單；請以 mail dismiss 註記",
            NoticeRuleCode.MailUnreadable => $"郵件 {subject} 無法解析（不是完整之郵件格式），不能歸入限期改善單；原始檔已保存，可以 mail show {subject?.TrimStart('#')} --raw -o 檔案 取出",
            NoticeRuleCode.MailUnfinished => $"{CutShortDrop.NotAssignable(subject)}（回執將誤告機關未附檔案）；"
                + (value is null
                    ? $"標頭未載明寄件者，請以 mail show {subject?.TrimStart('#')} --raw -o 檔案 檢視原始郵件查明來源，再以 mail dismiss 註記本封"
                    : $"請向寄件者 {value} 取得完整郵件（重寄之郵件照常收件），再以 mail dismiss 註記本封"),
            NoticeRuleCode.ChangedMeanwhile => $"{subject} 同時有其他異動，本次未變更任何資料，請重新查看後再試",
            _ => throw new ArgumentOutOfRangeException(nameof(refusal), refusal.Code, null),
        };
    }

    /// <summary>The follow-up flag that records a suspension despite mail still waiting about the notice.</summary>
    public const string DespiteWaitingMail = "--despite-waiting-mail";

    private static string NextRound(string? round) =>
        int.TryParse(round, System.Globalization.CultureInfo.InvariantCulture, out var number) ? (number + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : "N";

    private static string StatusWord(string? code) =>
        Storage.StoredCodes.TryParse<Storage.NoticeStatus>(code, out var status) ? Labels.Status(status) : code ?? "";
}
