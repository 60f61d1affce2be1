using System.Globalization;
using MailIntake.Parsing;

namespace MailIntake.Worker.Documents;

/// <summary>
/// The words of the fillable notice form (zh-TW), following the first page of the paper form
/// 附件八. The organisation's part is left blank on purpose: ReturnedFormReader reads it back,
/// so the labels here (填寫人, 姓名：, 已於…完成以下改善事項, numbered answers, 佐證資料) are the
/// anchors it looks for.
/// </summary>
internal static class NoticeFormText
{
    public const string Title = "公文電子交換系統限期改善單";

    // Ideographic spaces rather than underscores: an unfilled blank must read as empty, not as a
    // name made of underscores.
    private const string Blank = "\u3000\u3000\u3000\u3000\u3000\u3000";

    public const string FillerBlankLine = $"姓名：{Blank}\u3000電話：{Blank}\u3000郵件信箱：{Blank}";

    public const string CompletionBlankLine = "本用戶已於\u3000\u3000年\u3000\u3000月\u3000\u3000日完成以下改善事項：";

    public static IReadOnlyList<string> EvidenceItems { get; } =
    [
        "附件1　防火牆阻擋規則",
        "附件2　防毒軟體掃描結果",
        "附件3　公文文號清單",
        "附件4　公文檔案掃描結果",
    ];

    public static string AnswerPrefix(int item) => string.Create(CultureInfo.InvariantCulture, $"{item}.");

    public static NoticeFormLayout Layout(NoticeForm form)
    {
        ArgumentNullException.ThrowIfNull(form);

        return new NoticeFormLayout(
            Title,
            $"編號：{form.Reference}\u3000\u3000日期：{RocDate.Format(form.IssuedOn)}",
            [
                new FormRow(FormRowKind.Section, "以下由交換中心主管機關填寫", []),
                new FormRow(FormRowKind.Field, "改善對象", [$"機關(構)代碼/機關(構)名稱：{form.OrgCode} / {form.OrgName}"]),
                new FormRow(FormRowKind.Field, "說明", CenterExplanation(form)),
                new FormRow(FormRowKind.Field, "改善期限", [$"應於{RocDate.Format(form.Deadline)}前改善完竣。"]),
                new FormRow(FormRowKind.Field, "主管機關聯絡窗口",
                [
                    "服務單位/姓名/電話/電子郵件信箱",
                    $"{form.CenterUnit}/{form.CenterContactName}/{form.CenterPhone}/{form.CenterEmail}",
                ]),
                new FormRow(FormRowKind.Section, "以下由改善對象填寫", []),
                new FormRow(FormRowKind.Field, "填寫人",
                [
                    FillerBlankLine,
                    "【必填】請改善對象（機關（構））填表人員填寫姓名、電話與郵件信箱。",
                ]),
                new FormRow(FormRowKind.Field, "改善事項處理情形與說明", Answers(form.Items.Count)),
                new FormRow(FormRowKind.Field, "佐證資料", form.Evidence ?? EvidenceItems),
                new FormRow(FormRowKind.Seal, "用戶（組織或團體）印信", []),
            ],
            Notes(form));
    }

    private static List<string> CenterExplanation(NoticeForm form)
    {
        var lines = new List<string> { $"事由：{Reason(form)}", string.Empty, "改善事項：" };
        lines.AddRange(form.Items.Select((item, index) => $"{AnswerPrefix(index + 1)} {item}"));
        lines.Add(string.Empty);
        lines.Add($"法令依據：{form.LegalBasis}");
        return lines;
    }

    private static string Reason(NoticeForm form) =>
        $"請確認貴用戶使用本系統電腦 (IP：{form.HostIp})連線惡意 IP({string.Join("、", form.MaliciousIps)})原因、"
        + $"該電腦是否感染惡意程式及發生該資安事件期間({RocDate.Format(form.IncidentFrom)}至{RocDate.Format(form.IncidentTo)})"
        + "之公文電子交換檔案是否感染惡意程式。";

    private static List<string> Answers(int itemCount)
    {
        var lines = new List<string>
        {
            "【必填】請填寫改善措施、改善措施完成與否及完成期程，並檢附改善之相關佐證資料。",
            CompletionBlankLine,
        };

        // A numbered line and an empty paragraph under it: room to write, and the number tells
        // the reader which item an answer belongs to.
        for (var item = 1; item <= itemCount; item++)
        {
            lines.Add(AnswerPrefix(item));
            lines.Add(string.Empty);
        }

        return lines;
    }

    private static List<string> Notes(NoticeForm form) =>
    [
        "說明：",
        "一、改善對象應於主管機關所訂之改善期限內將所列項目改善完成；填寫完成之限期改善單及相關佐證資料須以 email 或回文方式回復主管機關查核。",
        $"二、以電子郵件方式回復者，應再以電話確認之（主管機關聯絡電話 {form.CenterPhone}）。",
        "三、主管機關於改善期間指派專人追蹤改善情形，如無法於指定期限內完成改善事項，由主管機關知會改善對象中止交換系統服務日期，並回報檔案管理局(公文 G2B2C資訊服務中心)。",
        $"四、回復時請保留本單編號 {form.Reference} 及機關(構)代碼 {form.OrgCode}，以利比對。",
        "五、【必填】請務必蓋用用戶印信。",
    ];
}
