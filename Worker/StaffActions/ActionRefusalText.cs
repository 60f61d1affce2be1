using MailIntake.Worker.Application;

namespace MailIntake.Worker.StaffActions;

/// <summary>A refused use case as a mail action says it: naming the line of the mail, never a command-line flag.</summary>
public static class ActionRefusalText
{
    /// <summary>What else makes a one-line field refused: a character that cannot be kept in the record or its documents.</summary>
    private const string NoUnkeptCharacters = "且不可含有控制字元、文字方向字元或無法保存之字元（如 U+FFFF），請刪除後再寄出";

    public static string Line(NoticeRuleException refusal)
    {
        var (subject, value) = (refusal.Subject, refusal.Value);
        return refusal.Code switch
        {
            NoticeRuleCode.ReferenceInvalid => $"「{value}」不是一個限期改善單編號（格式如 TN-115-0001）",
            NoticeRuleCode.TrackerRequired => "「確認人」「追蹤人」或「處理人」一行必須填寫姓名",
            NoticeRuleCode.InvalidHostIp => $"「{ActionLabels.HostIp}：{value}」不是有效之 IPv4 或 IPv6 位址（須為一部電腦之位址，不可為 0.0.0.0、廣播、群播或本機位址）",
            NoticeRuleCode.InvalidMaliciousIp => $"「{ActionLabels.MaliciousIps}」一行有無效之 IP 位址：{value}",
            NoticeRuleCode.IncidentPeriodReversed => $"「{ActionLabels.IncidentPeriod}」之結束日不可早於開始日",
            NoticeRuleCode.DeadlineNotAfterToday => $"「{ActionLabels.Deadline}：{value}」須晚於今日（至少給予一日改善）",
            NoticeRuleCode.TrackerInvalid => $"姓名須為一行（至多 {RequestChecks.MaxNameLength} 字）：{value}",
            NoticeRuleCode.MaliciousIpIsHostIp => $"「{ActionLabels.MaliciousIps}」不可與「{ActionLabels.HostIp}」相同：{value}",
            NoticeRuleCode.TooManyMaliciousIps => $"「{ActionLabels.MaliciousIps}」至多 {RequestChecks.MaxMaliciousIps} 個位址（收到 {value} 個）",
            NoticeRuleCode.IncidentInFuture => $"「{ActionLabels.IncidentPeriod}」之結束日不可晚於今日：{value}",
            NoticeRuleCode.IncidentTooOld => $"「{ActionLabels.IncidentPeriod}」之開始日不可早於一年前：{value}",
            NoticeRuleCode.ItemsInvalid => $"「{ActionLabels.Items}」至多 {RequestChecks.MaxItems} 項，每項至多 {RequestChecks.MaxItemLength} 字",
            NoticeRuleCode.AtBeforeReply => $"致電時間不可早於郵件 {subject} 之收件時間（{value}）",
            NoticeRuleCode.SuspendFromInPast => $"「{ActionLabels.SuspendFrom}：{value}」不可早於今日",
            NoticeRuleCode.SuspensionBackDated => "中止交換服務之處理時間不可早於今日（通知日期不能溯及既往）",
            NoticeRuleCode.NoticeNotYetSent => $"限期改善單 {subject} 尚未寄達機關（郵件仍待寄送或寄送失敗），不能據以中止交換服務",
            NoticeRuleCode.SuspendFromTooFar => $"「{ActionLabels.SuspendFrom}：{value}」不可晚於一年後",
            NoticeRuleCode.NoteInvalid => $"「{ActionLabels.Note}」或「{ActionLabels.Explanation}」須為一行，至多 {RequestChecks.MaxNoteLength} 字（收到 {value} 字），{NoUnkeptCharacters}",
            NoticeRuleCode.ReasonInvalid => $"「{ActionLabels.Reason}」須為一行，至多 {RequestChecks.MaxNoteLength} 字（收到 {value} 字），{NoUnkeptCharacters}",
            NoticeRuleCode.MailFromCenter => $"郵件 {subject} 是本中心自己之信箱寄出，不是機關之回覆，不能歸入限期改善單",
            NoticeRuleCode.MailFromMemberOnly => $"郵件 {subject} 是本中心承辦人員 {value} 自己寄出，未轉寄機關之郵件亦未附檔案，不是機關之回覆，不能歸入限期改善單（可註記不需處理）",
            NoticeRuleCode.MailUnreadable => $"郵件 {subject} 無法解析（不是完整之郵件格式），不能歸入限期改善單；原始檔已保存",
            NoticeRuleCode.MailUnfinished => $"{CutShortDrop.NotAssignable(subject)}；"
                + (value is null ? "標頭未載明寄件者，請資訊人員檢視原始郵件查明來源，再註記本封不需處理" : $"請向寄件者 {value} 取得完整郵件（重寄之郵件照常收件），再註記本封不需處理"),
            NoticeRuleCode.DeadlineTooFar => $"「{ActionLabels.Deadline}：{value}」不可晚於一年後",
            NoticeRuleCode.AtBeforeNotice => $"處理時間不可早於限期改善單 {subject} 開立之時",
            NoticeRuleCode.AtInFuture => "處理時間不可晚於現在",
            NoticeRuleCode.AtBeforePreviousRound => $"處理時間不可早於限期改善單 {subject} 前一次追蹤之時間（{value}）",
            NoticeRuleCode.UntilRequired => $"「{ActionLabels.NewDeadline}」一行必須填寫日期",
            NoticeRuleCode.UntilNotAfterDeadline => $"「{ActionLabels.NewDeadline}」須晚於目前之改善期限（{value}）",
            NoticeRuleCode.UntilNotAfterToday => $"「{ActionLabels.NewDeadline}：{value}」須晚於今日（至少給予一日改善）",
            NoticeRuleCode.UntilTooFar => $"「{ActionLabels.NewDeadline}：{value}」不可晚於一年後",
            NoticeRuleCode.UntilNotTaken => "新改善期限只用於再給予改善期限",
            NoticeRuleCode.SuspendFromRequired => $"「{ActionLabels.SuspendFrom}」一行必須填寫日期",
            NoticeRuleCode.SuspendFromNotTaken => "中止日期只用於中止交換服務",
            NoticeRuleCode.NoteRequired => $"「{ActionLabels.Explanation}」一行必須填寫",
            NoticeRuleCode.ReasonRequired => $"「{ActionLabels.Reason}」一行必須填寫",
            NoticeRuleCode.OrganisationNotFound => $"「{ActionLabels.OrgCode}：{subject}」找不到此機關，請先匯入機關資料",
            NoticeRuleCode.RereadPendingAfterRestore =>
                "資料還原後尚未重新讀取收件資料夾之已處理郵件，新開立之限期改善單編號可能與還原前已寄出者重複，未開立；請待收件服務完成一輪收件後重新寄出",
            NoticeRuleCode.FollowUpRereadPending =>
                $"收件資料夾之已處理郵件尚未讀入（資料還原後尚未重新讀取，或曾由還原之副本收件），其中可能有機關之回覆，限期改善單 {subject} 未記錄追蹤；請待收件服務完成一輪收件後重新寄出",
            NoticeRuleCode.SameIncidentOpen => $"機關 {value} 之同一資安事件（同一電腦IP、惡意IP與事件期間）已有未結案之限期改善單 {subject}，未重複開立；如確需再次開立，請於郵件加註一行「{ActionLabels.Again}：是」後重新寄出",
            NoticeRuleCode.OrganisationHasNoEmail => $"機關 {subject} 沒有登記電子郵件，無法寄送限期改善單",
            NoticeRuleCode.NoticeNotFound => $"找不到限期改善單 {subject}",
            NoticeRuleCode.MailNotFound => $"找不到郵件 {subject}",
            NoticeRuleCode.NoticeClosed => $"限期改善單 {subject} 已結案，不再追蹤",
            NoticeRuleCode.NoMoreRounds => $"限期改善單 {subject} 已追蹤 {NoticeStateMachine.MaxRounds} 次，不能再追蹤",
            NoticeRuleCode.RoundThreeOnlyCompletedOrSuspended => $"限期改善單 {subject} 第 {NoticeStateMachine.MaxRounds} 次追蹤只能是改善完成或中止交換服務",
            NoticeRuleCode.NoticeBounced => $"限期改善單 {subject} 寄給 {value} 均遭退信，機關未收到，不能據以中止交換服務；請更正機關電子郵件後重新開立（開立郵件加註一行「{ActionLabels.Again}：是」）",
            NoticeRuleCode.ExtensionUnmailable => $"機關 {subject} 目前沒有登記電子郵件，展延通知無法寄送，不能展延限期改善單 {value} 之改善期限；請先補登機關電子郵件",
            NoticeRuleCode.ExtensionOfUnsentNotice => $"限期改善單 {subject} 尚未寄達機關（郵件仍待寄送或寄送失敗），不能據以展延改善期限",
            NoticeRuleCode.RoundOfUnsentNotice => $"限期改善單 {subject} 尚未寄達機關（郵件仍待寄送或寄送失敗），不能據以記錄追蹤評估（其他）",
            NoticeRuleCode.SuspensionUnmailable => $"機關 {subject} 目前沒有登記電子郵件，中止交換服務通知無法寄送，不能據以中止限期改善單 {value} 之交換服務；請先補登機關電子郵件",
            NoticeRuleCode.ArchivesRecipientsUnset => $"系統未設定檔案管理局通報收件者，中止交換服務須同時通報檔案管理局，限期改善單 {subject} 未記錄；請洽系統管理者設定",
            NoticeRuleCode.ExtensionOfBouncedNotice => $"限期改善單 {subject} 寄給 {value} 均遭退信，機關未收到，不能據以展延改善期限；請更正機關電子郵件後重新開立（開立郵件加註一行「{ActionLabels.Again}：是」）",
            NoticeRuleCode.SuspensionWhileMailHeld => $"限期改善單 {subject} 未記錄中止交換服務：{value}，尚未歸入或註記不需處理，可能為機關之回覆；請先按該郵件通知或每日摘要中之按鈕歸入或註記不需處理，如確需仍予中止，請於郵件加註一行「{ActionLabels.DespiteWaitingMail}：是」後重新寄出",
            NoticeRuleCode.SuspensionWhileMailFailing => $"限期改善單 {subject} 未記錄中止交換服務：{value}處理失敗、仍待系統重試而尚未歸檔，可能為機關之回覆；請洽系統管理員排除其失敗原因，待其歸檔後再決定，如確需仍予中止，請於郵件加註一行「{ActionLabels.DespiteWaitingMail}：是」後重新寄出",
            NoticeRuleCode.SuspensionWhileExtensionQueued => $"限期改善單 {subject} 未記錄中止交換服務：本案{value}尚未寄出（仍待寄送），機關尚未獲告知該展延；如確需依已告知之改善期限中止交換服務（該展延通知將撤回不寄），請於郵件加註一行「{ActionLabels.DespiteWaitingMail}：是」後重新寄出",
            NoticeRuleCode.CompletionWhileMailFailing => $"限期改善單 {subject} 未記錄改善完成：{value}處理失敗、仍待系統重試而尚未歸檔，可能為機關之回覆（以電子郵件方式回復者，應再以電話確認之）；請洽系統管理員排除其失敗原因，待其歸檔並確認後再記錄",
            NoticeRuleCode.CompletionAwaitsPhone => $"限期改善單 {subject} 之電子郵件回覆（郵件 {value}）尚未以電話確認；請先致電並按「已電話確認」，再記錄改善完成",
            NoticeRuleCode.MailNotReplyOfNotice => $"郵件 {subject} 不是限期改善單 {value} 之電子郵件回覆",
            NoticeRuleCode.NoReplyToConfirm => $"限期改善單 {subject} 尚未收到電子郵件回覆，沒有可電話確認之回覆",
            NoticeRuleCode.MailNotSettleable => $"郵件 {subject} {value}，不能再歸入或註記不需處理，動作未執行",
            NoticeRuleCode.MailAlreadySettled => $"郵件 {subject} {value}，不能再歸入或註記不需處理，動作未執行",
            NoticeRuleCode.MailCarriesAction => $"郵件 {subject} 帶有承辦人員之動作識別碼，是經由郵件之指令而非機關回覆，不能歸入限期改善單（可註記不需處理）",
            NoticeRuleCode.RoundRepeated => $"限期改善單 {subject} 第 {value} 次追蹤今日已記錄相同內容，未重複記錄",
            NoticeRuleCode.RoundRecordedMeanwhile => $"處理本郵件期間，限期改善單 {subject} 已記錄{value}，本次未記錄；請查看最新之每日摘要後，再決定是否記錄下一次追蹤",
            NoticeRuleCode.StaleRound => $"此按鈕係供 {subject} 第 {value} 次追蹤使用，該次追蹤已有紀錄（情況已改變），為免重複記錄，動作未執行；請使用最新之每日摘要中之按鈕",
            NoticeRuleCode.StalePhonePrompt => $"此按鈕是為 {subject} 較早之回覆所發，其後又收到郵件 {value} 之回覆，動作未執行；請先閱讀該回覆，再使用最新之電話確認提醒或每日摘要中之按鈕",
            NoticeRuleCode.ChangedMeanwhile => $"{subject} 同時有其他異動，本次未變更任何資料，請查看最新之通知後再試",
            _ => "此動作不符合限期改善單之規則，未作任何變更",
        };
    }
}
