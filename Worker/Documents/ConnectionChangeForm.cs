namespace MailIntake.Worker.Documents;

/// <summary>
/// What the center writes on the 連線異動表 it sends the National Archives Administration (公文 G2B2C 資訊服務中心)
/// when an organisation's exchange service is suspended: who, from when, why, who to call.
/// </summary>
/// <param name="FiledOn">填表日期: the day the suspension was recorded and reported.</param>
/// <param name="NotifiedOn">The day the organisation was told its service stops; null when no suspension notice was queued to it.</param>
/// <param name="SuspendFrom">生效日期: the first day without exchange service.</param>
/// <param name="Reason">異動原因: the suspension round's reason, as the organisation's notice states it.</param>
public sealed record ConnectionChangeForm(
    string Reference,
    string OrgCode,
    string OrgName,
    string? OrgContact,
    string? OrgPhone,
    IReadOnlyList<string> OrgEmails,
    DateOnly FiledOn,
    DateOnly? NotifiedOn,
    DateOnly SuspendFrom,
    string Reason,
    string LegalBasis,
    string CenterName,
    string CenterUnit,
    string CenterContactName,
    string CenterPhone,
    string CenterEmail);
