using MailIntake.Storage;

namespace MailIntake.Worker.Application;

/// <summary>
/// What already happened to a mail staff try to settle again, as a refusal states it: under which notice it was filed,
/// how and when, or who dismissed it, when and why — so the member who clicked late knows what is true.
/// </summary>
public static class SettledMailText
{
    public static string Describe(MailSummary mail, ReplyFiled? filed, TimeZoneInfo zone) => mail switch
    {
        { Dismissal: { } dismissal } =>
            $"已由 {dismissal.By} 於{Labels.Moment(dismissal.At, zone)}註記不需處理（原因：{dismissal.Reason}）",
        { Kind: MailKind.Reply } when filed is not null =>
            $"已於{Labels.Moment(filed.FiledAt, zone)}歸入限期改善單 {mail.NoticeRef}（比對方式：{Labels.Method(filed.MatchedBy)}）",
        _ => $"之類別為「{Labels.Kind(mail.Kind)}」",
    };

    /// <summary>The refusal for a mail that is no longer (or never was) waiting for staff to settle it.</summary>
    public static NoticeRuleException Refusal(StorageSession session, MailSummary mail, TimeZoneInfo zone) => new(
        mail.Dismissal is null ? NoticeRuleCode.MailNotSettleable : NoticeRuleCode.MailAlreadySettled,
        $"#{mail.MailId}",
        Describe(mail, ReplyRepository.Filed(session, mail.MailId), zone));
}
