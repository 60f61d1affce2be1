using MailIntake.Worker.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MailIntake.Worker.Tests;

public sealed class MailIntakeOptionsValidatorTests
{
    private static MailIntakeOptions Imap(string host, TransportSecurity security) => new()
    {
        Mailbox = new MailboxOptions { Kind = MailboxKind.Imap, Host = host, Security = security, User = "center" },
        Smtp = new SmtpOptions { From = "center@example.tw" },
    };

    [Fact]
    public void Validate_SecurityNoneOnRemoteHost_FailsNamingTheKey()
    {
        var result = new MailIntakeOptionsValidator().Validate(null, Imap("mail.example.tw", TransportSecurity.None));

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, failure => failure.StartsWith("MailIntake:Mailbox:Security", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    [InlineData("::1")]
    public void Validate_SecurityNoneOnLoopback_IsAllowed(string host) =>
        Assert.True(new MailIntakeOptionsValidator().Validate(null, Imap(host, TransportSecurity.None)).Succeeded);

    [Fact]
    public void Validate_ImapWithoutHost_FailsNamingTheKey()
    {
        var result = new MailIntakeOptionsValidator().Validate(null, Imap("", TransportSecurity.SslOnConnect));

        Assert.Contains(result.Failures!, failure => failure.StartsWith("MailIntake:Mailbox:Host", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_MissingCaCertificateFile_FailsNamingTheKey()
    {
        var options = Imap("mail.example.tw", TransportSecurity.SslOnConnect);
        options.Mailbox.CaCertificate = "/nonexistent/ca.pem";

        var result = new MailIntakeOptionsValidator().Validate(null, options);

        Assert.Contains(result.Failures!, failure => failure.StartsWith("MailIntake:Mailbox:CaCertificate", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HostStart_BadSetting_StopsStartWithMessageNamingTheKey()
    {
        using var host = AppHost.Build(verbose: false, new Dictionary<string, string?>
        {
            ["MailIntake:DataDirectory"] = Path.Combine(Path.GetTempPath(), "mailintake-options-" + Guid.NewGuid().ToString("N")),
            ["MailIntake:Mailbox:Kind"] = "Imap",
            ["MailIntake:Mailbox:Host"] = "mail.example.tw",
            ["MailIntake:Mailbox:User"] = "center",
            ["MailIntake:Mailbox:Security"] = "None",
        });

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("MailIntake:Mailbox:Security", exception.Message);
    }
}
