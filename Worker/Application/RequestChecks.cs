using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MailIntake.Storage;

namespace MailIntake.Worker.Application;

/// <summary>
/// The sanity checks every use case applies to what a person typed: dates in range, moments that happened, addresses
/// that are addresses, names and notes that are one line of a sane length. Every entry point (CLI, mail action) gets
/// the same answer because the use case asks here.
/// </summary>
public static class RequestChecks
{
    /// <summary>How far ahead a deadline (or an extension, or a suspension date) may lie.</summary>
    public static readonly int MaxYearsAhead = 1;

    /// <summary>How long before the notice an incident period may start: older traffic is a typing error.</summary>
    public static readonly int MaxIncidentYearsBack = 1;

    /// <summary>A person's name as the tracker, confirmer or handler: printed on the tracking form's one line.</summary>
    public const int MaxNameLength = 50;

    /// <summary>A note or a reason: printed on the tracking form, the digest and the timeline.</summary>
    public const int MaxNoteLength = 2000;

    /// <summary>Malicious addresses one notice may name (the notice lists them all in its text and subject items).</summary>
    public const int MaxMaliciousIps = 50;

    public const int MaxItems = 20;

    public const int MaxItemLength = 500;

    public static string Tracker(string? by)
    {
        if (string.IsNullOrWhiteSpace(by))
        {
            throw new NoticeRuleException(NoticeRuleCode.TrackerRequired);
        }

        var name = by.Trim();
        return IsOneLine(name, MaxNameLength) ? name : throw new NoticeRuleException(NoticeRuleCode.TrackerInvalid, value: Shown(name));
    }

    /// <summary>An optional note: null when blank, else one line of at most <see cref="MaxNoteLength"/> characters.</summary>
    public static string? Note(string? note)
    {
        if (string.IsNullOrWhiteSpace(note))
        {
            return null;
        }

        var text = note.Trim();
        return IsOneLine(text, MaxNoteLength) ? text : throw new NoticeRuleException(NoticeRuleCode.NoteInvalid, value: text.Length.ToString(CultureInfo.InvariantCulture));
    }

    public static string Reason(string? reason)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new NoticeRuleException(NoticeRuleCode.ReasonRequired);
        }

        var text = reason.Trim();
        return IsOneLine(text, MaxNoteLength) ? text : throw new NoticeRuleException(NoticeRuleCode.ReasonInvalid, value: text.Length.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// One line of text: no control characters (line breaks, tabs, NUL…), no Unicode line or paragraph separators, no
    /// bidirectional overrides (which reorder what a reader sees), and not longer than <paramref name="maxLength"/>.
    /// </summary>
    public static bool IsOneLine(string text, int maxLength) =>
        text.Length <= maxLength && !text.Any(IsForbidden) && !PrintableText.HasLoneSurrogate(text);

    /// <summary>
    /// What a one-line value never holds: control characters, line or paragraph separators, bidirectional overrides, and
    /// what XML cannot hold (U+FFFE, U+FFFF: the notice's forms and the Archives' documents could never be written).
    /// </summary>
    private static bool IsForbidden(char character) => PrintableText.IsUnprintable(character);

    /// <summary>A name as a refusal may quote it: control characters made visible, cut short.</summary>
    private static string Shown(string text, int length = 20)
    {
        var visible = new string(text.Select(character => IsForbidden(character) ? '␤' : character).ToArray());
        return visible.Length > length ? visible[..length] + "…" : visible;
    }

    /// <summary>
    /// An IPv4 or IPv6 address written in full (not "10.1", not a host name), in its one canonical form (IPv6 compressed, lower case; an IPv4-mapped IPv6 address as its IPv4 address), or null when <paramref name="text"/> is not
    /// a full address. An IPv4 part with a leading zero (010.001.002.003) is refused: some tools read it as octal
    /// (8.1.2.3), others as decimal, so the notice could name another computer than the one meant. Full-width digits
    /// (１０.１.１.１, typed with a Chinese input method) read as ASCII, on the command line as in a mail action. An address
    /// no computer is seen talking with — unspecified (0.0.0.0, ::), broadcast, multicast, loopback — is refused: it is a typo.
    /// </summary>
    public static string? IpAddress(string text)
    {
        var trimmed = MailIntake.Parsing.FullWidth.ToHalfWidth(text).Trim();
        if (!IPAddress.TryParse(trimmed, out var address) || !IsOneComputer(address))
        {
            return null;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            // An IPv4-mapped IPv6 address (::ffff:10.1.1.1) is that IPv4 address: written as such, so that the
            // same computer never appears as two addresses (and a malicious IP never equals the host's unnoticed).
            return trimmed.Contains('%') ? null : address.IsIPv4MappedToIPv6 ? address.MapToIPv4().ToString() : address.ToString();
        }

        var parts = trimmed.Split('.');
        return parts.Length == 4 && parts.All(part => part.Length is >= 1 and <= 3 && part.All(char.IsAsciiDigit) && (part.Length == 1 || part[0] != '0'))
            ? address.ToString()
            : null;
    }

    private static bool IsOneComputer(IPAddress address)
    {
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        if (IPAddress.IsLoopback(plain) || plain.Equals(IPAddress.Any) || plain.Equals(IPAddress.IPv6Any) || plain.Equals(IPAddress.Broadcast))
        {
            return false;
        }

        return plain.AddressFamily == AddressFamily.InterNetworkV6
            ? !plain.IsIPv6Multicast
            : plain.GetAddressBytes()[0] is < 224 or > 239;
    }

    /// <summary>The host's address and the malicious ones, canonical and without repeats; each refusal names what is wrong.</summary>
    public static (string HostIp, IReadOnlyList<string> MaliciousIps) Addresses(string hostIp, IReadOnlyList<string> maliciousIps)
    {
        var host = IpAddress(hostIp) ?? throw new NoticeRuleException(NoticeRuleCode.InvalidHostIp, value: hostIp);
        var invalid = maliciousIps.Where(ip => IpAddress(ip) is null).ToList();
        if (maliciousIps.Count == 0 || invalid.Count > 0)
        {
            throw new NoticeRuleException(NoticeRuleCode.InvalidMaliciousIp, value: string.Join(",", invalid.Take(5)));
        }

        var malicious = maliciousIps.Select(ip => IpAddress(ip)!).Distinct(StringComparer.Ordinal).ToList();
        if (malicious.Count > MaxMaliciousIps)
        {
            throw new NoticeRuleException(NoticeRuleCode.TooManyMaliciousIps, value: malicious.Count.ToString(CultureInfo.InvariantCulture));
        }

        return malicious.Contains(host)
            ? throw new NoticeRuleException(NoticeRuleCode.MaliciousIpIsHostIp, value: host)
            : (host, malicious);
    }

    /// <summary>The incident period: in order, over by today, and not more than a year before it.</summary>
    public static void IncidentPeriod(DateOnly from, DateOnly to, DateOnly today)
    {
        if (to < from)
        {
            throw new NoticeRuleException(NoticeRuleCode.IncidentPeriodReversed);
        }

        if (to > today)
        {
            throw new NoticeRuleException(NoticeRuleCode.IncidentInFuture, value: Labels.Date(to));
        }

        if (from < today.AddYears(-MaxIncidentYearsBack))
        {
            throw new NoticeRuleException(NoticeRuleCode.IncidentTooOld, value: Labels.Date(from));
        }
    }

    /// <summary>Improvement items as staff wrote them: each one line, a sane number of sane length.</summary>
    public static IReadOnlyList<string>? Items(IReadOnlyList<string>? items)
    {
        if (items is not { Count: > 0 })
        {
            return null;
        }

        var trimmed = items.Select(item => item.Trim()).Where(item => item.Length > 0).ToList();
        if (trimmed.Count > MaxItems)
        {
            throw new NoticeRuleException(NoticeRuleCode.ItemsInvalid, value: trimmed.Count.ToString(CultureInfo.InvariantCulture));
        }

        var bad = trimmed.FindIndex(item => !IsOneLine(item, MaxItemLength));
        return bad < 0 ? trimmed : throw new NoticeRuleException(NoticeRuleCode.ItemsInvalid, value: (bad + 1).ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>A deadline gives at least a day: after today, and not more than a year ahead.</summary>
    public static void Deadline(DateOnly deadline, DateOnly today)
    {
        if (deadline <= today)
        {
            throw new NoticeRuleException(NoticeRuleCode.DeadlineNotAfterToday, value: Labels.Date(deadline));
        }

        if (deadline > today.AddYears(MaxYearsAhead))
        {
            throw new NoticeRuleException(NoticeRuleCode.DeadlineTooFar, value: Labels.Date(deadline));
        }
    }

    /// <summary>
    /// The day the exchange service stops: today or later (the organisation and the Archives are told now, so a past
    /// date would be a suspension that nobody was told of while it happened), and not more than a year ahead.
    /// </summary>
    public static void SuspendFrom(string reference, DateOnly suspendFrom, DateOnly today)
    {
        if (suspendFrom < today)
        {
            throw new NoticeRuleException(NoticeRuleCode.SuspendFromInPast, reference, Labels.Date(suspendFrom));
        }

        if (suspendFrom > today.AddYears(MaxYearsAhead))
        {
            throw new NoticeRuleException(NoticeRuleCode.SuspendFromTooFar, reference, Labels.Date(suspendFrom));
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

    public static DateOnly Today(TimeProvider time, TimeZoneInfo zone) => Day(time.GetUtcNow(), zone);

    /// <summary>The center's calendar day of a moment.</summary>
    public static DateOnly Day(DateTimeOffset moment, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(moment, zone).DateTime);

    /// <summary>
    /// The notice a typed reference names. The reference must be the whole value (full-width and case forgiven): a
    /// value with anything around it (two references pasted together, a typo with a suffix) is refused, never read as
    /// the first reference in it — the action would otherwise land on a notice nobody named.
    /// </summary>
    public static Notice Notice(StorageSession session, string reference)
    {
        var canonical = Parsing.NoticeReference.Whole(reference)
            ?? throw new NoticeRuleException(NoticeRuleCode.ReferenceInvalid, value: Shown(reference.Trim(), 60));
        return NoticeRepository.Get(session, canonical) ?? throw new NoticeRuleException(NoticeRuleCode.NoticeNotFound, reference.Trim());
    }
}
