using MailIntake.Storage;
using MailIntake.Worker.Options;

namespace MailIntake.Worker.Application;

/// <summary>
/// The mails not filed under a notice that may be its reply, which staff must see before deciding on "no reply" (the
/// 【逾期】 note, a suspension): held for them naming it (<see cref="Naming"/>), held from the organisation's registered
/// address (<see cref="FromOrganisation"/>), or waiting on the center's own fault (<see cref="Failing"/>: processing failing,
/// raw file lost).
/// </summary>
public sealed record WaitingForNotice(IReadOnlyList<MailSummary> Naming, IReadOnlyList<MailSummary> FromOrganisation, IReadOnlyList<MailSummary> Failing)
{
    public bool Any => Naming.Count + FromOrganisation.Count + Failing.Count > 0;

    public static WaitingForNotice Of(StorageSession session, Notice notice, MailIntakeOptions options)
    {
        var addresses = OrganisationRepository.Emails(session, notice.OrgCode);
        return new(WaitingMail.HeldNaming(session, notice, options), WaitingMail.HeldFrom(session, notice, addresses, options),
            WaitingMail.Failing(session, notice, addresses, options));
    }

    /// <summary>The held ones, each told why it may be the reply: 郵件 #1（…）之主旨載有本限期改善單編號；郵件 #2（…）寄自機關登記之信箱.</summary>
    public string Held(TimeZoneInfo zone) => string.Join("；",
        new[]
        {
            Naming.Count > 0 ? $"{WaitingMail.Describe(Naming, zone)}之主旨載有本限期改善單編號" : null,
            FromOrganisation.Count > 0 ? $"{WaitingMail.Describe(FromOrganisation, zone)}寄自機關登記之信箱" : null,
        }.OfType<string>());
}
