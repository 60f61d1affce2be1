using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.EndToEnd.Tests.TestData;
using MimeKit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace MailIntake.EndToEnd.Tests.Truth;

/// <summary>
/// Scenarios checking that each mail tells the truth at the moment it goes out. Dates are taken relative to the programs'
/// clock (<see cref="TestClock"/>), never written as absolutes.
/// </summary>
public abstract class TruthTest(ITestOutputHelper output) : ScheduledJobTest(output)
{
    /// <summary>The moment the program believes it is (the assembly's one timeline, see <see cref="TestClock"/>).</summary>
    protected static DateTimeOffset ProgramNow => TestClock.Now;

    /// <summary>The program's today in Taipei.</summary>
    protected static DateOnly ProgramToday => TestClock.Today;

    /// <summary>The day itself if Monday–Friday, else the Friday before (no holidays file in these scenarios).</summary>
    protected static DateOnly WorkingDayOnOrBefore(DateOnly day)
    {
        while (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
            day = day.AddDays(-1);
        return day;
    }

    /// <summary>The first Monday–Friday after <paramref name="day"/>.</summary>
    protected static DateOnly WorkingDayAfter(DateOnly day)
    {
        do
            day = day.AddDays(1);
        while (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday);
        return day;
    }

    /// <summary>A DATETIME for <c>--as-of</c>: <paramref name="day"/> at <paramref name="time"/>, Taipei time.</summary>
    protected static string At(DateOnly day, string time) => $"{day:yyyy-MM-dd}T{time}:00+08:00";

    /// <summary>
    /// <c>notice issue</c> to <see cref="Orgs.TestGuild"/> with <paramref name="deadline"/>, an incident period of a few days
    /// ago, optionally its own items file; returns the reference (stdout's last line).
    /// </summary>
    protected async Task<string> IssueAsync(DateOnly deadline, bool send, string? itemsFile = null)
    {
        string[] args =
        [
            "notice", "issue", "--org", Orgs.TestGuild, "--host-ip", "10.1.2.3", "--malicious-ip", "203.0.113.9",
            "--from", $"{ProgramToday.AddDays(-20):yyyy-MM-dd}", "--to", $"{ProgramToday.AddDays(-10):yyyy-MM-dd}",
            "--deadline", $"{deadline:yyyy-MM-dd}", "--again", // several notices for one incident (the guard has its own tests)
            .. itemsFile is null ? Array.Empty<string>() : ["--items-file", itemsFile],
            .. send ? Array.Empty<string>() : ["--no-send"],
        ];
        var stdout = await Cli.RunOkAsync(args);
        return stdout.Split('\n').Select(line => line.Trim()).Last(line => line.Length > 0);
    }

    /// <summary>A reply from <paramref name="from"/> with the subject <paramref name="subject"/> and text attachments named as given.</summary>
    protected static MimeMessage Reply(string from, string subject, string body, params string[] attachments)
    {
        var reply = new MimeMessage { Subject = subject, MessageId = $"truth-{Guid.NewGuid():N}@org.example.tw" };
        reply.From.Add(MailboxAddress.Parse(from));
        reply.To.Add(MailboxAddress.Parse("center@intake.test"));
        var builder = new BodyBuilder { TextBody = body };
        foreach (var name in attachments)
            builder.Attachments.Add(name, "evidence"u8.ToArray());
        reply.Body = builder.ToMessageBody();
        return reply;
    }

    protected static MimeMessage Single(IReadOnlyList<MimeMessage> delivered, string subjectPart) =>
        Assert.Single(delivered, mail => mail.Subject?.Contains(subjectPart, StringComparison.Ordinal) == true);

    protected static void AssertBodiesLack(MimeMessage mail, string what, params string[] absent)
    {
        var (text, html) = Bodies(mail, what);
        foreach (var part in absent)
        {
            if (text.Contains(part, StringComparison.Ordinal) || html.Contains(part, StringComparison.Ordinal))
                throw new XunitException($"{what} must not say 「{part}」:\n{text}");
        }
    }
}
