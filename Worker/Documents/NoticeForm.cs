namespace MailIntake.Worker.Documents;

/// <summary>
/// What the center fills in on the first page of the paper form (附件八): everything the fillable
/// .docx/.odt attachment needs, independent of how the notice is stored.
/// </summary>
public sealed record NoticeForm(
    string Reference,
    string OrgCode,
    string OrgName,
    DateOnly IssuedOn,
    string HostIp,
    IReadOnlyList<string> MaliciousIps,
    DateOnly IncidentFrom,
    DateOnly IncidentTo,
    IReadOnlyList<string> Items,
    string LegalBasis,
    DateOnly Deadline,
    string CenterUnit,
    string CenterContactName,
    string CenterPhone,
    string CenterEmail,
    IReadOnlyList<string>? Evidence = null);
