using MailIntake.Storage;
using MailIntake.Worker.Options;

namespace MailIntake.Worker.Application;

/// <summary>
/// What else the center holds that may be the organisation's answer to a notice, though none is filed under it: its mail
/// held for staff or failing on our side (<see cref="HeldSince"/>), a mail naming the notice from another address
/// (<see cref="NamingSince"/>), or its reply to another open notice for the same incident (<see cref="SameIncident"/>: a
/// notice issued again with <c>--again</c>). What the organisation is told never says nothing came while one of these did.
/// </summary>
public sealed record OtherMail(DateTimeOffset? HeldSince, DateTimeOffset? NamingSince, SameIncidentReply? SameIncident)
{
    /// <summary>As the session sees it, for a mail to <paramref name="addresses"/> about <paramref name="notice"/>.</summary>
    public static OtherMail Of(StorageSession session, Notice notice, IReadOnlyCollection<string> addresses, MailIntakeOptions options) =>
        new(MailRepository.HeldSince(session, addresses), WaitingMail.NamingSince(session, notice, options), SameIncidentReply.Latest(session, notice));
}

/// <summary>The organisation's latest reply filed under another open notice for the same incident (its reference, when it came).</summary>
public sealed record SameIncidentReply(string Reference, DateTimeOffset At)
{
    /// <summary>Null when no other open notice for <paramref name="notice"/>'s incident has a reply.</summary>
    public static SameIncidentReply? Latest(StorageSession session, Notice notice) =>
        NoticeRepository.ListOpenForIncident(session, notice.OrgCode, notice.HostIp, notice.MaliciousIps, notice.IncidentFrom, notice.IncidentTo)
            .Where(other => other.Id != notice.Id)
            .SelectMany(other => ReplyRepository.ListForNotice(session, other.Id).Select(reply => new SameIncidentReply(other.Reference, reply.ReceivedAt)))
            .MaxBy(reply => reply.At);
}
