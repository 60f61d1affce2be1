using MimeKit;
using MimeKit.Utils;

namespace MailIntake.Parsing;

/// <summary>
/// When a mail reached the center's mail server, from what the mailbox reports (IMAP INTERNALDATE) checked against the
/// mail's own <c>Received</c> chain: the server cannot have stored a mail before the last relay handed it over.
/// </summary>
public static class ArrivalTime
{
    /// <summary>How much earlier than the newest <c>Received</c> stamp a reported arrival may be: hosts' clocks differ.</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromHours(1);

    /// <summary>
    /// <paramref name="reported"/>, unless it is earlier than the newest <c>Received</c> stamp by more than
    /// <see cref="Tolerance"/> (a migration or an APPEND that set a wrong date): then that stamp. A mail without a
    /// readable stamp keeps what was reported. The caller keeps it from being later than now.
    /// </summary>
    public static DateTimeOffset Bounded(DateTimeOffset reported, HeaderList headers)
    {
        DateTimeOffset? newest = null;
        foreach (var header in headers.Where(header => header.Id == HeaderId.Received))
        {
            var value = header.Value;
            var semicolon = value.LastIndexOf(';');
            if (semicolon >= 0 && DateUtils.TryParse(value[(semicolon + 1)..], out var stamp) && (newest is null || stamp > newest))
            {
                newest = stamp;
            }
        }

        return newest is { } latest && reported < latest - Tolerance ? latest : reported;
    }
}
