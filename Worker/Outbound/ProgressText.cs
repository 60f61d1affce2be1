using MailIntake.Storage;
using MailIntake.Worker.Application;
using MailIntake.Worker.Options;

namespace MailIntake.Worker.Outbound;

/// <summary>
/// What the organisation is told about its own progress in every mail after the notice (extension, reminder): what the
/// center has received, what the form still asks for, and the phone step — from the filed replies and calls, never assumed.
/// </summary>
public static class ProgressText
{
    public static IReadOnlyList<string> Lines(Notice notice, IReadOnlyList<Reply> replies, IReadOnlyList<PhoneConfirmation> calls, CenterOptions center, TimeZoneInfo zone)
    {
        var lines = new List<string>();
        if (replies.Count == 0)
        {
            lines.Add("本中心尚未收到貴單位之回覆。");
        }
        else
        {
            var files = replies.Sum(reply => reply.Evidence.Count);
            lines.Add($"本中心已收到貴單位之回覆 {replies.Count} 封（最近一封於{Labels.Moment(replies.Max(reply => reply.ReceivedAt), zone)}收到），" +
                      (files == 0 ? "均未附檔案。" : $"附檔合計 {files} 件。"));
        }

        var missing = ReplyCompleteness.Missing(notice, replies);
        lines.Add(missing.Count == 0
            ? "限期改善單所列資料均已收到。"
            : $"限期改善單尚待補充：{string.Join("、", missing)}。");
        var unconfirmed = ReplyCompleteness.AwaitingPhone(replies, calls);
        lines.Add(unconfirmed.Count > 0
            ? $"以電子郵件方式回復者，應再以電話確認之：貴單位於{Labels.Moment(unconfirmed.Max(reply => reply.ReceivedAt), zone)}之回覆尚未以電話確認，請來電 {center.Phone}（{center.Unit} {center.ContactName}）。"
            : $"以電子郵件方式回復者，應再以電話確認之：{center.Phone}（{center.Unit} {center.ContactName}）。");
        return lines;
    }
}
