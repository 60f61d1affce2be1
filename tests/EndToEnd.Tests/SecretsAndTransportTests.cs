using System.Text;
using System.Text.Json;
using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.EndToEnd.Tests.TestData;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary>
/// Passwords come from the environment or user secrets and are never written anywhere: not to stdout, not to stderr
/// (where every log line goes), not to any file under the data folder, whether the login fails or works.
/// Transport: Security=None is refused for anything but loopback, and certificates are always validated.
/// </summary>
public sealed class SecretsAndTransportTests(ITestOutputHelper output) : EndToEndTest(output)
{
    private const string WrongPassword = "Pw-5ecret-XYZZY";
    private const string UserSecretsId = "mailintake-3f1c2a9e";

    [Fact]
    public async Task WrongPassword_RunOnceAndWorker_FailLoginInOneLineAndNeverWriteThePassword()
    {
        await ImportOrgsAndIssueNoticeAsync();
        await Mailbox.AppendAsync(TestMessages.OutlookBig5Reply().Message);
        Cli.Environment["MailIntake__Mailbox__Password"] = WrongPassword;

        var once = await Cli.RunAsync("run", "--once");
        var worker = await Cli.RunAsync("run");

        Assert.True(once.ExitCode == 1 && once.StderrLines.Length == 1, $"a refused login is one line, exit 1: {once.Describe()}");
        Assert.True(worker.ExitCode == 1, $"the worker stops on a refused login, exit 1: {worker.Describe()}");
        Assert.Contains(worker.StderrLines, line => line.Contains("MailIntake:Mailbox:User and Password", StringComparison.Ordinal));
        AssertNowhere(WrongPassword, once, worker);
    }

    [Fact]
    public async Task RightPasswordFromEnvironment_VerboseRun_NeverWritesThePassword()
    {
        var reference = await ImportOrgsAndIssueNoticeAsync();
        await Mailbox.AppendAsync(TestMessages.OutlookBig5Reply($"Re: {reference} 改善回覆").Message);

        var run = await Cli.RunAsync("run", "--once");

        Assert.True(run.ExitCode == 0 && run.StderrLines.Length > 0, $"the verbose run logs its work: {run.Describe()}");
        Assert.Single((await Cli.ShowNoticeAsync(reference)).Replies);
        AssertNowhere(Mailbox.Password, run);
    }

    [Fact]
    public async Task RightPasswordFromUserSecrets_LogsInAndNeverWritesThePassword()
    {
        var reference = await ImportOrgsAndIssueNoticeAsync();
        await Mailbox.AppendAsync(TestMessages.OutlookBig5Reply($"Re: {reference} 改善回覆").Message);
        // `dotnet user-secrets set` keeps them in $HOME/.microsoft/usersecrets/ID/secrets.json; this HOME is the test's own.
        var home = Path.Combine(Workspace.Root, "home");
        var secrets = Path.Combine(home, ".microsoft", "usersecrets", UserSecretsId, "secrets.json");
        Directory.CreateDirectory(Path.GetDirectoryName(secrets)!);
        File.WriteAllText(secrets, JsonSerializer.Serialize(new Dictionary<string, string> { ["MailIntake:Mailbox:Password"] = Mailbox.Password }));
        Cli.Environment.Remove("MailIntake__Mailbox__Password");
        Cli.Environment["HOME"] = home;

        var run = await Cli.RunAsync("run", "--once");

        Assert.True(run.ExitCode == 0, $"the password from user secrets logs in: {run.Describe()}");
        Assert.Single((await Cli.ShowNoticeAsync(reference)).Replies);
        AssertNowhere(Mailbox.Password, run);
    }

    [Theory]
    [InlineData("Mailbox")]
    [InlineData("Smtp")]
    public async Task SecurityNoneOnRemoteHost_IsRefusedAtStartNamingTheKey(string section)
    {
        Cli.Environment[$"MailIntake__{section}__Kind"] = section == "Mailbox" ? "Imap" : "Smtp";
        Cli.Environment[$"MailIntake__{section}__Host"] = "mail.tainan.gov.tw";
        Cli.Environment[$"MailIntake__{section}__Security"] = "None";
        Cli.Environment[$"MailIntake__{section}__Password"] = WrongPassword;

        var run = await Cli.RunAsync("run", "--once");

        Assert.True(run.ExitCode == 1 && run.StderrLines.Length == 1 && run.Stderr.Contains($"MailIntake:{section}:Security", StringComparison.Ordinal),
            $"plain text to a remote server is refused before any connection, in one line naming MailIntake:{section}:Security: {run.Describe()}");
        AssertNowhere(WrongPassword, run);
    }

    [Fact]
    public async Task ImplicitTlsWithoutTheStacksCa_FailsCertificateValidationInOneLine()
    {
        // The loopback Dovecot's certificate is signed by the stack's private CA: without CaCertificate it is untrusted.
        Cli.Environment["MailIntake__Mailbox__Port"] = MailStack.Settings.ImapsPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Cli.Environment["MailIntake__Mailbox__Security"] = "SslOnConnect";
        Cli.Environment.Remove("MailIntake__Mailbox__CaCertificate");

        var run = await Cli.RunAsync("run", "--once");

        Assert.True(run.ExitCode == 1 && run.StderrLines.Length == 1 && run.Stderr.Contains("TLS", StringComparison.Ordinal),
            $"an untrusted certificate ends the run with the one-line TLS error: {run.Describe()}");
        Assert.False(Directory.Exists(Workspace.DataDirectory) && Directory.EnumerateFiles(Path.Combine(Workspace.DataDirectory), "*.eml", SearchOption.AllDirectories).Any(),
            "no mail is read over a connection that failed validation");
        AssertNowhere(Mailbox.Password, run);
    }

    /// <summary>The secret is in no output and in no file the program wrote (data folder, pickup folder), in UTF-8 or UTF-16.</summary>
    private void AssertNowhere(string secret, params CliResult[] runs)
    {
        foreach (var run in runs)
        {
            Assert.False(run.Stdout.Contains(secret, StringComparison.Ordinal), $"the password is on stdout: {run.Describe()}");
            Assert.False(run.Stderr.Contains(secret, StringComparison.Ordinal), $"the password is on stderr: {run.Describe()}");
        }

        var patterns = new[] { Encoding.UTF8.GetBytes(secret), Encoding.Unicode.GetBytes(secret) };
        var files = new[] { Workspace.DataDirectory, Workspace.Outbox }
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories))
            .ToList();
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            Assert.False(patterns.Any(p => bytes.AsSpan().IndexOf(p) >= 0), $"the password is written in {file}");
        }

        Output.WriteLine($"password checked absent from {runs.Length} run(s) and {files.Count} file(s)");
    }
}
