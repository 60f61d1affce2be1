using MailIntake.Parsing;

namespace MailIntake.Worker.Application;

/// <summary>
/// Why a received mail was not filed, in zh-TW for staff (mail list, mail show, the mail note, the digest): what is wrong
/// and what staff can do — in their terms (歸入 a notice, or 不需處理), never a command or a library's message.
/// </summary>
public static class MatchReasonText
{
    public static string Of(MatchResult match, string? sender)
    {
        var references = string.Join("、", match.Candidates);
        var codes = string.Join("、", match.OrgCodes);
        var from = sender ?? "（不明寄件者）";
        return match.Reason switch
        {
            MatchReason.SeveralReferences => $"主旨或表單列出多個限期改善單編號（{references}），請確認應歸入何者",
            MatchReason.SeveralThreads => $"回覆之郵件串屬於多個限期改善單（{references}），請確認應歸入何者",
            MatchReason.CodeFitsSeveral => $"機關代碼 {codes} 有多件未結案之限期改善單（{references}），請確認應歸入何者",
            MatchReason.SenderFitsSeveral => $"寄件者 {from} 所屬機關有多件未結案之限期改善單（{references}），請確認應歸入何者",
            MatchReason.CodeWithoutOpenNotice => $"機關代碼 {codes} 目前沒有未結案之限期改善單，請確認是否需要處理",
            MatchReason.SenderOrganisationWithoutOpenNotice => $"寄件者所屬機關 {codes} 目前沒有未結案之限期改善單，請確認是否需要處理",
            MatchReason.NothingToMatchBy => "主旨無限期改善單編號，非回覆本中心寄出之郵件，內容與附件檔名無已登記之機關代碼，寄件者亦非已登記之機關信箱，請確認是否需要處理",
            MatchReason.UnknownReference when match.OrgCodes.Count > 0 =>
                $"主旨之限期改善單編號 {string.Join("、", match.UnknownReferences)} 不存在（可能誤繕，或係資料還原前所開立），非回覆本中心寄出之郵件；寄件者或內容屬機關 {codes}"
                + (match.Candidates.Count > 0 ? $"，該機關未結案之限期改善單為 {references}" : "，該機關目前沒有未結案之限期改善單")
                + "，主旨既載明他編號，未依寄件者或機關代碼歸入，未歸檔、未寄回執；可能是機關之回覆，請查明應屬何件限期改善單後歸入，或註記不需處理",
            MatchReason.UnknownReference =>
                $"主旨之限期改善單編號 {string.Join("、", match.UnknownReferences)} 不存在（可能誤繕），非回覆本中心寄出之郵件，內容與附件檔名無已登記之機關代碼，寄件者亦非已登記之機關信箱；可能是機關之回覆，請查明應屬何件限期改善單後歸入，或註記不需處理",
            MatchReason.ThreadOfLostMail =>
                "本郵件回覆本中心寄出之郵件，惟本資料庫查無該郵件（可能係資料還原前所寄出之限期改善單）"
                + (match.OrgCodes.Count > 0
                    ? $"；寄件者或內容屬機關 {codes}" + (match.Candidates.Count > 0 ? $"，該機關未結案之限期改善單為 {references}" : "，該機關目前沒有未結案之限期改善單")
                      + "，未依寄件者或機關代碼歸入"
                    : string.Empty)
                + "，未歸檔、未寄回執；可能是機關之回覆，請查明應屬何件限期改善單後歸入，或註記不需處理",
            MatchReason.SenderOfAnotherOrganisation =>
                $"寄件者 {from} 登記於機關 {codes}，卻提及他機關之限期改善單 {references}，未歸檔、未寄回執；請查明寄件者身分後再決定是否歸入",
            MatchReason.SenderNotRegistered =>
                $"主旨提及限期改善單 {references}，但寄件者 {from} 並非該機關（{codes}）登記之信箱，亦非回覆本中心寄出之郵件，未歸檔、未寄回執；請與該機關確認後再決定是否歸入",
            MatchReason.AttachedMessageFromUnregistered =>
                $"所附（轉寄）之郵件提及限期改善單 {references}（主旨並未提及），但寄件者 {from} 及所附郵件之寄件者並非該機關（{codes}）登記之信箱，亦非回覆本中心寄出之郵件，未歸檔、未寄回執；請與該機關確認後再決定是否歸入",
            null => "（無原因）",
            _ => throw new ArgumentOutOfRangeException(nameof(match), match.Reason, null),
        };
    }

    /// <summary>
    /// A mail that names no notice (matched only by its sender or an organisation code) and reached the center before the
    /// only notice it fits was issued: no reply to that notice, held for staff (h23h N1).
    /// </summary>
    /// <paramref name="carried"/>: the arrival is the time the mail carried, not one intake could take as sure (a restore's
    /// re-read, h30h P12) — said so.
    public static string ArrivedBeforeNotice(string reference, DateTimeOffset arrival, DateTimeOffset issued, TimeZoneInfo zone, bool carried = false) =>
        (carried ? $"本郵件所記收到時間{Labels.Moment(arrival, zone)}" : $"本郵件於{Labels.Moment(arrival, zone)}收到")
        + $"，早於限期改善單 {reference} 之開立（{Labels.Moment(issued, zone)}），且未提及其編號，"
        + "僅依寄件者或機關代碼不能認定為其回覆，未歸檔、未寄回執；如確為其回覆請歸入，否則註記不需處理";

    /// <summary>
    /// A drop-folder file read again after a restore whose MIME stops before it ends (cut short on disk): not filed, no
    /// receipt, not to be assigned (what is left is no proof of what was sent); what staff can do about it — ask the
    /// sender its headers name (and the notice its subject names) for the whole mail, or, with no sender, look at the raw file.
    /// </summary>
    public static string Unfinished(string? sender, IReadOnlyList<string> references) =>
        CutShort("還原後由投遞資料夾 processed/ 重新讀取之檔案於郵件結構結束前即中斷（檔案於磁碟上遭截斷、補零或複製中斷）", sender, references);

    /// <summary>
    /// A drop-folder file read again after a restore that is empty (0 bytes: its content lost on disk, as ext4 leaves a
    /// file written just before a crash): nothing to file, no sender to ask; what staff can do about it.
    /// </summary>
    public const string Empty =
        "原始檔是空的（0 位元組）：還原後由投遞資料夾 processed/ 重新讀取之檔案內容已遺失（於磁碟上遭截斷），不知寄件者與內容，未歸檔、未寄回執；請資訊人員查明來源（如投遞資料夾之備份），或註記不需處理";

    /// <summary>
    /// A fresh drop-folder file whose MIME stops before it ends, left unchanged for ten minutes (its writer stopped): not
    /// filed, no receipt; whose it is as far as its headers say, and what staff can do about it.
    /// </summary>
    public static string UnfinishedDrop(string? sender, IReadOnlyList<string> references) =>
        CutShort("投遞資料夾中之檔案於郵件結構結束前即中斷，且已 10 分鐘以上未再寫入（複製或寫入程式中斷）", sender, references);

    /// <summary>A mail held as cut short (<paramref name="how"/> it was found so): not filed, whom to ask for the whole mail.</summary>
    private static string CutShort(string how, string? sender, IReadOnlyList<string> references) =>
        $"原始檔可能不完整（MIME 未結束）：{how}，未歸檔、未寄回執，亦不能歸入限期改善單；"
        + (references.Count > 0 ? $"主旨提及限期改善單 {string.Join("、", references)}；" : string.Empty)
        + (sender is null
            ? "標頭未載明寄件者，請資訊人員檢視原始郵件查明來源，或註記不需處理"
            : $"請向寄件者 {sender} 取得完整郵件（重寄之郵件照常收件），再將本封註記不需處理");

    /// <summary>A mail MimeKit cannot read at all: kept raw; what staff can do about it.</summary>
    public const string Unreadable = "郵件格式損壞，無法解析內容（原始郵件已完整保存）；請資訊人員檢視原始郵件，或註記不需處理";
}
