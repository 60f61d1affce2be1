using System.Net;
using System.Net.Sockets;
using MailIntake.Storage;

namespace MailIntake.Worker.Application;

/// <summary>The sanity checks every use case applies to what a person typed: dates in range, moments that happened, addresses that are addresses.</summary>
public static class RequestChecks
{
    /// <summary>How far ahead a deadline (or an extension) may lie.</summary>
    public static readonly int MaxYearsAhead = 1;

    public static string Tracker(string? by) =>
        string.IsNullOrWhiteSpace(by) ? throw new NoticeRuleException(NoticeRuleCode.TrackerRequired) : by.Trim();

    /// <summary>An IPv4 or IPv6 address written in full (not "10.1", not a host name).</summary>
    public static bool IsIpAddress(string text) =>
        IPAddress.TryParse(text, out var address)
        && (address.AddressFamily == AddressFamily.InterNetworkV6 || text.Count(character => character == '.') == 3);

    public static void Deadline(DateOnly deadline, DateOnly today)
    {
        if (deadline < today)
        {
            throw new NoticeRuleException(NoticeRuleCode.DeadlineInPast, value: Labels.Date(deadline));
        }

        if (deadline > today.AddYears(MaxYearsAhead))
        {
            throw new NoticeRuleException(NoticeRuleCode.DeadlineTooFar, value: Labels.Date(deadline));
        }
    }

    /// <summary>When a call or a round happened: not before the notice was issued, not in the future.</summary>
    public static DateTimeOffset Moment(DateTimeOffset? at, Notice notice, DateTimeOffset now)
    {
        var moment = at ?? now;
        if (moment < notice.IssuedAt)
        {
            throw new NoticeRuleException(NoticeRuleCode.AtBeforeNotice, notice.Reference, moment.ToString("O"));
        }

        if (moment > now)
        {
            throw new NoticeRuleException(NoticeRuleCode.AtInFuture, notice.Reference, moment.ToString("O"));
        }

        return moment;
    }

    public static DateOnly Today(TimeProvider time, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), zone).DateTime);

    public static Notice Notice(StorageSession session, string reference) =>
        NoticeRepository.Get(session, Parsing.NoticeReference.FindAll(reference).FirstOrDefault() ?? reference.Trim())
        ?? throw new NoticeRuleException(NoticeRuleCode.NoticeNotFound, reference);
}
