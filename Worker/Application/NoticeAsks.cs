using MailIntake.Storage;

namespace MailIntake.Worker.Application;

/// <summary>
/// What one notice asks the organisation to return. A notice with the paper form's items asks for answers to items 1–4
/// (the fifth says how to reply) and the form's four pieces of evidence (附件1 防火牆阻擋規則 … 附件4); a notice issued
/// with its own items asks for an answer to each of them and, for each of its first four items, 附件k as that item's
/// evidence (a 附件 is recognised as 1–4 only). The notice mail, its form, reminders and receipts all read it here.
/// </summary>
public static class NoticeAsks
{
    public static readonly string[] DefaultEvidence = ["防火牆阻擋規則", "防毒軟體掃描結果", "公文文號清單", "公文檔案掃描結果"];

    /// <summary>The highest 附件 item a file name is read as.</summary>
    public const int MaxEvidenceItem = 4;

    /// <summary>The items that take an answer (處理情形與說明).</summary>
    public static int AnsweredItems(Notice notice) => notice.CustomItems ? notice.Items.Count : MaxEvidenceItem;

    /// <summary>The evidence asked for, 附件1 first: what each one is.</summary>
    public static IReadOnlyList<string> Evidence(Notice notice) => notice.CustomItems
        ? Enumerable.Range(1, Math.Min(notice.Items.Count, MaxEvidenceItem)).Select(item => $"改善事項{item}之佐證資料").ToList()
        : DefaultEvidence;

    /// <summary>附件1 防火牆阻擋規則、附件2 …: the evidence in one line.</summary>
    public static string EvidenceList(Notice notice) =>
        string.Join("、", Evidence(notice).Select((what, index) => $"附件{index + 1} {what}"));
}
