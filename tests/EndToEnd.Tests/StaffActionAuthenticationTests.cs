using MailIntake.EndToEnd.Tests.Harness;
using MimeKit;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary>
/// With Mailbox:TrustedAuthServIds set, a staff command must carry the center's mail server's passing
/// Authentication-Results: a failing or missing verdict is refused as suspicious, a passing one is carried out.
/// </summary>
public sealed class StaffActionAuthenticationTests(ITestOutputHelper output) : StaffActionTest(output)
{
    private const string CenterServer = "mail.intake.test";

    protected override void ConfigureProgram(MailIntakeCli cli)
    {
        base.ConfigureProgram(cli);
        cli.Environment["MailIntake__Mailbox__TrustedAuthServIds__0"] = CenterServer;
    }

    [Fact]
    public async Task ConfirmLink_FailingOrMissingVerdictRefused_PassingOneConfirms()
    {
        var reference = await NoticeWithReplyAsync();
        var link = StaffMailClient.Link(await PhonePromptAsync(reference), "已電話確認");

        await Mailbox.AppendAsync(WithVerdict(link, $"{CenterServer}; spf=fail smtp.mailfrom=intake.test; dmarc=fail header.from=intake.test"));
        await Mailbox.AppendAsync(WithVerdict(link, null));
        await Mailbox.AppendAsync(WithVerdict(link, $"evil.example; spf=pass smtp.mailfrom=intake.test; dmarc=pass header.from=intake.test"));
        await Cli.RunOnceAsync();

        var suspicious = await Cli.ListMailAsync("suspicious");
        Assert.True(suspicious.Count == 3, $"a failing, a missing and an untrusted verdict are each refused: {Dump(suspicious)}");
        Assert.Contains(suspicious, m => (m.Reason ?? "").Contains("dmarc=fail", StringComparison.Ordinal));
        Assert.Equal("replied", (await Cli.ShowNoticeAsync(reference)).Status);

        await Mailbox.AppendAsync(WithVerdict(link, $"{CenterServer}; spf=pass smtp.mailfrom=intake.test; dmarc=pass header.from=intake.test"));
        await Cli.RunOnceAsync();

        Assert.Equal("confirmed", (await Cli.ShowNoticeAsync(reference)).Status);
    }

    private MimeMessage WithVerdict(Mailto link, string? authenticationResults)
    {
        var message = StaffMailClient.Compose(link, StaffAddress);
        if (authenticationResults is not null)
            message.Headers.Insert(0, new Header(HeaderId.AuthenticationResults, authenticationResults));
        return message;
    }
}
