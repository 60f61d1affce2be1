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
    /// <param name="other">
    /// What else the center holds that may be the organisation's answer (<see cref="OtherMail"/>): its mail held for staff
    /// or failing on our side — the text never says nothing was received; a mail naming the notice from another address —
    /// said to have come and being confirmed, never called the organisation's; its reply to another notice for the same
    /// incident — named, never "no reply" as if it had not answered (h30h P10).
    /// </param>
    public static IReadOnlyList<string> Lines(
        Notice notice, IReadOnlyList<Reply> replies, IReadOnlyList<PhoneConfirmation> calls, CenterOptions center, TimeZoneInfo zone, OtherMail? other = null)
    {
        var lines = new List<string>();
        var held = other?.HeldSince is { } since ? $"本中心已於{Labels.Moment(since, zone)}收到貴單位之來信，正在確認其所屬之限期改善單"
            : other?.NamingSince is { } named ? $"本中心已於{Labels.Moment(named, zone)}收到主旨載有本限期改善單編號（{notice.Reference}）之來信，其寄件者並非貴單位登記之電子郵件信箱，正在確認是否為貴單位之回覆"
            : null;
        if (replies.Count == 0)
        {
            lines.Add(held is not null ? $"{held}；確認前，下列尚待補充事項尚未計入該來信。"
                : other?.SameIncident is { } same ? $"本中心已於{Labels.Moment(same.At, zone)}收到貴單位對同一事件之限期改善單 {same.Reference} 之回覆，將併同本限期改善單確認；確認前，下列尚待補充事項尚未計入該回覆。"
                : "本中心尚未收到貴單位之回覆。");
        }
        else
        {
            var files = replies.Sum(reply => reply.Evidence.Count);
            lines.Add($"本中心已收到貴單位之回覆 {replies.Count} 封（最近一封於{Labels.Moment(replies.Max(reply => reply.ReceivedAt), zone)}收到），" +
                      (files == 0 ? "均未附檔案。" : $"附檔合計 {files} 件。") + (held is null ? "" : $"另{held}，確認前尚未計入下列事項。"));
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
