using MailIntake.Parsing;

namespace MailIntake.Worker.Application;

/// <summary>
/// Why a mail was taken for a bounce or an auto-reply, in zh-TW for staff (mail list, mail show, the digest): the sign in
/// our words, with the header or value as found in the mail so staff can check it.
/// </summary>
public static class AutomaticSignText
{
    public static string Of(AutomaticClassification automatic) => automatic.Sign switch
    {
        AutomaticSign.DeliveryStatusReport => "郵件為投遞狀態報告（multipart/report; report-type=delivery-status）",
        AutomaticSign.DeliveryStatusPart => $"郵件含投遞狀態報告（{automatic.Evidence}）",
        AutomaticSign.ReadReceiptReport or AutomaticSign.ReadReceiptPart => "郵件為讀取回條（disposition-notification）",
        AutomaticSign.ExchangeNdrHeader => "Exchange 標示為無法投遞通知（X-MS-Exchange-Message-Is-Ndr）",
        AutomaticSign.DaemonSender => $"寄件者為郵件系統帳號 {automatic.Evidence}",
        AutomaticSign.DaemonReturnPath => $"退信位址（Return-Path）為郵件系統帳號 {automatic.Evidence}",
        AutomaticSign.EmptyReturnPath => "退信位址為空（Return-Path: <>），為郵件系統寄出",
        AutomaticSign.AutoSubmittedHeader => $"標頭 Auto-Submitted: {automatic.Evidence} 表示為系統自動寄出",
        AutomaticSign.AutoReplyHeader => $"標頭 {automatic.Evidence} 表示為自動回覆",
        AutomaticSign.AppleVacationHeader => "休假自動回覆（X-Apple-Action: VACATION）",
        AutomaticSign.ExchangeRuleReply => "寄件者信箱之 Exchange 收件規則自動寄出（X-MS-Exchange-Inbox-Rules-Loop）",
        AutomaticSign.PrecedenceHeader => $"標頭 Precedence: {automatic.Evidence} 表示為群發或自動郵件",
        AutomaticSign.SubjectPrefix => $"主旨以「{automatic.Evidence}」開頭",
        null => "（無原因）",
        _ => throw new ArgumentOutOfRangeException(nameof(automatic), automatic.Sign, null),
    };

    /// <summary>Why a mail with a machine sign that names a notice and carries files is held for staff rather than filed or dropped.</summary>
    public static string Held(AutomaticClassification automatic, IReadOnlyList<string> references) =>
        $"郵件帶有自動郵件之標記（{Of(automatic)}），但指名限期改善單 {string.Join("、", references)} 並附有檔案；"
        + "未歸檔、未寄回執，請確認是否為機關之回覆，並歸入該限期改善單或註記不需處理";
}
