using MailIntake.Parsing;

namespace MailIntake.Worker.Documents;

/// <summary>
/// The words of the 連線異動表 (zh-TW, 公文 register): the organisation and the change (中止交換服務, from when, why,
/// when it was told), the regulation, the center's contact with blanks for the signatures, and what is attached.
/// </summary>
internal static class ConnectionChangeText
{
    public const string Title = "公文電子交換系統連線異動表";

    private const string NotRegistered = "（未登記）";

    public static ExportPage Page(ConnectionChangeForm form)
    {
        ArgumentNullException.ThrowIfNull(form);
        var reason = form.Reason.TrimEnd().TrimEnd('。');
        return new ExportPage(
            Title,
            null,
            $"填表日期：{RocDate.Format(form.FiledOn)}\u3000限期改善單編號：{form.Reference}",
            [
                new ExportSection("異動機關（構）"),
                new ExportPair("機關（構）代碼", form.OrgCode, "機關（構）名稱", form.OrgName),
                new ExportField("異動類別", [new ExportLine([new ExportSpan("中止交換服務")], Ticked: true)]),
                new ExportField("生效日期", [$"自{RocDate.Format(form.SuspendFrom)}起中止交換服務。"]),
                new ExportField("異動原因", [$"{reason}。", form.NotifiedOn is { } notified ? $"已於{RocDate.Format(notified)}通知改善機關中止交換服務之日期。" : "尚未通知改善機關中止交換服務之日期（中止交換服務通知未寄出）。"]),
                new ExportField("改善機關\n聯絡人",
                [
                    "姓名/電話/電子郵件信箱",
                    $"{form.OrgContact ?? NotRegistered}/{form.OrgPhone ?? NotRegistered}/{(form.OrgEmails.Count == 0 ? NotRegistered : string.Join(';', form.OrgEmails))}",
                ]),
                new ExportField("法令依據", [form.LegalBasis]),
                new ExportSection("交換中心主管機關"),
                new ExportField("主管機關", [form.CenterName]),
                new ExportField("聯絡窗口",
                [
                    "服務單位/姓名/電話/電子郵件信箱",
                    $"{form.CenterUnit}/{form.CenterContactName}/{form.CenterPhone}/{form.CenterEmail}",
                ]),
                new ExportPair("承辦人", string.Empty, "單位主管", string.Empty),
                new ExportField("附件",
                [
                    $"一、{NoticeFormText.Title}（{form.Reference}，依原寄送內容）。",
                    $"二、{NoticeFormText.Title}{TrackingFormText.Subtitle}。",
                ]),
            ],
            [
                "說明：",
                "改善機關無法於指定期限內完成改善事項，或經主管機關評估事態嚴重者，由主管機關知會改善機關中止交換系統服務時間，並填寫本連線異動表附上限期改善單至檔案管理局(公文 G2B2C資訊服務中心)辦理。",
            ]);
    }
}
