using MailIntake.Worker.Documents;

namespace MailIntake.Worker.Tests.Documents;

internal static class SampleNotice
{
    public static NoticeForm Form { get; } = new(
        Reference: "TN-115-0001",
        OrgCode: "XC12345678",
        OrgName: "台南市示範公會",
        IssuedOn: new DateOnly(2026, 11, 27),
        HostIp: "123.123.123.123",
        MaliciousIps: ["45.67.89.10", "198.51.100.7"],
        IncidentFrom: new DateOnly(2026, 11, 20),
        IncidentTo: new DateOnly(2026, 11, 22),
        Items:
        [
            "請確認貴用戶使用本系統電腦連線惡意 IP(45.67.89.10、198.51.100.7)原因。",
            "請對貴用戶使用本系統電腦進行掃毒及採樣回報掃描 log 或結果。",
            "請確認資安事件發生期間(中華民國115年11月20日至中華民國115年11月22日)之公文電子交換檔案是否感染惡意程式。",
            "請貴用戶資訊人員配合進行事件跡證蒐集。",
            "以上改善事項請提供佐證資料併同本限期改善單 email 或回文至主管機關聯絡窗口；以電子郵件方式回復者，應再以電話確認之。",
        ],
        LegalBasis: "臺南市政府組織及團體輕量化收發平台（WebjAgent）系統申請及使用須知、公文電子交換系統資訊安全管理規範。",
        Deadline: new DateOnly(2026, 12, 10),
        CenterUnit: "臺南市政府智慧發展中心",
        CenterContactName: "王承辦",
        CenterPhone: "06-2991111轉1234",
        CenterEmail: "sdc-security@mail.tainan.gov.tw");

    public const string FillerLine = "姓名：李大同　電話：06-2345678　郵件信箱：lee@org1.example.tw";
    public const string CompletionLine = "本用戶已於115年12月01日完成以下改善事項：";
    public const string ItemOneAnswer = "1. 經查係員工開啟釣魚郵件所致，已由防火牆設定阻擋規則，佐證資料如附件1。";
}
