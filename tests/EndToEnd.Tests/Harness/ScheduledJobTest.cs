using System.Globalization;
using MimeKit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace MailIntake.EndToEnd.Tests.Harness;

/// <summary>
/// A scenario driving the scheduled jobs (<c>jobs run NAME --as-of DATETIME</c>) and the follow-up workflow against
/// the real Postfix: on top of <see cref="OutboundMailTest"/>, staff (Staff:DigestRecipients) and the Archives
/// (Archives:ReportRecipients) are reachable only at this test's own plus-addresses of <c>staff</c> and <c>archives</c>.
/// </summary>
public abstract class ScheduledJobTest(ITestOutputHelper output) : OutboundMailTest(output)
{
    /// <summary>The time zone the program reads a DATETIME without offset in (its default, Asia/Taipei).</summary>
    protected static readonly TimeZoneInfo Taipei = TimeZoneInfo.FindSystemTimeZoneById("Asia/Taipei");

    /// <summary>The only staff address: phone prompts, overdue notes and the digest land in staff's INBOX.</summary>
    protected string StaffAddress => $"staff+{Tag}@{MailStack.Settings.Domain}";

    /// <summary>The only Archives address: the suspension report lands in archives' INBOX.</summary>
    protected string ArchivesAddress => $"archives+{Tag}@{MailStack.Settings.Domain}";

    protected override void ConfigureProgram(MailIntakeCli cli)
    {
        base.ConfigureProgram(cli);
        // appsettings.json has one address in each list: index 0 replaces it.
        cli.Environment["MailIntake__Staff__DigestRecipients__0"] = StaffAddress;
        cli.Environment["MailIntake__Archives__ReportRecipients__0"] = ArchivesAddress;
    }

    /// <summary><c>jobs run <paramref name="job"/> --as-of <paramref name="asOf"/></c>, which must exit 0.</summary>
    protected Task<string> RunJobAsync(string job, string asOf) => Cli.RunOkAsync("jobs", "run", job, "--as-of", asOf);

    /// <summary>An instant as a DATETIME the CLI takes, in Taipei time with its offset.</summary>
    protected static string AsOf(DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, Taipei).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>
    /// After settling Postfix's queue, the messages to <paramref name="address"/> whose subject contains
    /// <paramref name="subjectPart"/> must be exactly <paramref name="expected"/>; returns them.
    /// </summary>
    protected async Task<IReadOnlyList<MimeMessage>> SettledCountAsync(string address, string subjectPart, int expected, string what)
    {
        await Delivered.SettleAsync(address);
        var all = await Delivered.ToAsync(address);
        var matching = all.Where(m => (m.Subject ?? "").Contains(subjectPart, StringComparison.Ordinal)).ToList();
        if (matching.Count != expected)
            throw new XunitException($"{what}: expected exactly {expected} message(s) to {address} with 「{subjectPart}」 in the subject, found {matching.Count}; all: {DeliveredMail.Subjects(all)}");
        return matching;
    }

    /// <summary>The plain text and the HTML (entities decoded) of <paramref name="mail"/>; both must be present.</summary>
    protected static (string Text, string Html) Bodies(MimeMessage mail, string what)
    {
        if (mail.TextBody is null || mail.HtmlBody is null)
            throw new XunitException($"{what} must have a plain-text and an HTML body; text: {mail.TextBody is not null}, html: {mail.HtmlBody is not null}");
        return (mail.TextBody, System.Net.WebUtility.HtmlDecode(mail.HtmlBody));
    }

    /// <summary>Each of <paramref name="expected"/> in both bodies of <paramref name="mail"/>, and no replacement character.</summary>
    protected static void AssertBodiesContain(MimeMessage mail, string what, params string[] expected)
    {
        var (text, html) = Bodies(mail, what);
        foreach (var (kind, body) in new[] { ("text", text), ("html", html) })
        {
            Assert.True(!body.Contains('\uFFFD'), $"the {kind} body of {what} has U+FFFD (mis-decoded text):\n{body}");
            foreach (var part in expected)
                Assert.True(body.Contains(part, StringComparison.Ordinal), $"the {kind} body of {what} must contain 「{part}」:\n{body}");
        }
    }
}
