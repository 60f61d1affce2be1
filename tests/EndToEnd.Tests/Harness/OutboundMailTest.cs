using MailIntake.EndToEnd.Tests.TestData;
using MimeKit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace MailIntake.EndToEnd.Tests.Harness;

/// <summary>
/// A scenario where the program really sends: SMTP to the loopback Postfix, the organisation reachable only at this
/// test's own plus-address (<c>org1+TAG@intake.test</c>), and the center phone set to a value the test can look for.
/// </summary>
public abstract class OutboundMailTest(ITestOutputHelper output) : EndToEndTest(output)
{
    /// <summary>Set through MailIntake__Center__Phone, so finding it proves the configured number is the one printed.</summary>
    public const string CenterPhone = "06-2991111轉5566";

    /// <summary>This test's tag in every address the program mails to.</summary>
    protected string Tag { get; } = Guid.NewGuid().ToString("N")[..8];

    /// <summary><see cref="Orgs.TestGuild"/>'s only registered address; delivered to org1's INBOX.</summary>
    protected string Org1Address => $"org1+{Tag}@{MailStack.Settings.Domain}";

    /// <summary>An address of nobody in the registry; delivered to org2's INBOX.</summary>
    protected string Org2Address => $"org2+{Tag}@{MailStack.Settings.Domain}";

    protected DeliveredMail Delivered { get; } = new(output);

    protected override void ConfigureProgram(MailIntakeCli cli)
    {
        cli.UseSmtp();
        cli.Environment["MailIntake__Center__Phone"] = CenterPhone;
    }

    /// <summary>
    /// Registers <see cref="Orgs.TestGuild"/> at <see cref="Org1Address"/>, issues a notice with sending, runs
    /// <c>run --once</c> and waits for the notice in org1's INBOX. Returns the reference, the one delivered copy and
    /// the notice as the program shows it after sending.
    /// </summary>
    protected async Task<(string Reference, MimeMessage Delivered, NoticeJson Notice)> IssueAndDeliverNoticeAsync()
    {
        await Cli.ImportOrgsAsync(Orgs.CsvWith(Org1Address));
        var reference = await Cli.IssueNoticeAsync(Orgs.TestGuild, send: true);
        await Cli.RunOnceAsync();
        var delivered = await Delivered.WaitForAsync(Org1Address, 1, $"notice {reference}");
        var notice = await Cli.ShowNoticeAsync(reference);
        if (delivered.Count != 1)
            throw new XunitException($"notice {reference} must arrive once, arrived {delivered.Count} times: {DeliveredMail.Subjects(delivered)}");
        return (reference, delivered[0], notice);
    }

    /// <summary>The one outbound entry of <paramref name="kind"/>, or a failure showing them all.</summary>
    protected static OutboundJson SingleOutbound(NoticeJson notice, string kind)
    {
        var matching = notice.Outbound.Where(o => o.Kind == kind).ToList();
        return matching.Count == 1
            ? matching[0]
            : throw new XunitException($"expected one outbound mail of kind {kind}, found {matching.Count}: {Dump(notice.Outbound)}");
    }

    protected static string HeaderOf(MimeMessage message, string field) => message.Headers[field] ?? "(absent)";
}
