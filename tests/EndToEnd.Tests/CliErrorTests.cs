using MailIntake.EndToEnd.Tests.Harness;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary>CONTRACT.md: exit 1 on a handled error (one line on stderr, no stack trace), 2 on bad arguments.</summary>
public sealed class CliErrorTests(ITestOutputHelper output) : IDisposable
{
    private readonly TestWorkspace _workspace = new();

    [Fact]
    public async Task RunOnceWithWrongPassword_ExitsOneWithOneStderrLineAndNoStackTrace()
    {
        var cli = MailIntakeCli.ForImap(_workspace, output, "INBOX");
        cli.Environment["MailIntake__Mailbox__Password"] = "wrong-password";

        var result = await cli.RunAsync("run", "--once");

        Assert.True(result.ExitCode == 1, $"bad credentials must exit 1: {result.Describe()}");
        AssertOneErrorLine(result);
    }

    [Fact]
    public async Task NoticeIssueWithoutOrg_ExitsTwo()
    {
        var cli = MailIntakeCli.ForDropFolder(_workspace, output);

        var result = await cli.RunAsync(
            "notice", "issue", "--host-ip", "10.1.2.3", "--malicious-ip", "203.0.113.9",
            "--from", "115/11/01", "--to", "115/11/15", "--deadline", "115/12/10", "--no-send");

        Assert.True(result.ExitCode == 2, $"a missing --org is a bad argument, exit 2: {result.Describe()}");
        Assert.DoesNotContain(result.Stdout.Split('\n').Concat(result.StderrLines), l => l.StartsWith("   at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NoticeShowUnknownReference_ExitsOneWithOneStderrLine()
    {
        var cli = MailIntakeCli.ForDropFolder(_workspace, output);

        var result = await cli.RunAsync("notice", "show", "NO-SUCH-NOTICE-0000", "--json");

        Assert.True(result.ExitCode == 1, $"an unknown reference is a handled error, exit 1: {result.Describe()}");
        AssertOneErrorLine(result);
    }

    /// <summary>Issue 10: a value outside a sane range is refused with one line and exit 2, and nothing is recorded.</summary>
    [Theory]
    [InlineData("deadline in the past", "notice", "issue", "--org", "XC12345678", "--host-ip", "10.1.2.3", "--malicious-ip", "203.0.113.9", "--from", "2020-01-01", "--to", "2020-01-02", "--deadline", "2020-01-10", "--no-send")]
    [InlineData("deadline over a year ahead", "notice", "issue", "--org", "XC12345678", "--host-ip", "10.1.2.3", "--malicious-ip", "203.0.113.9", "--from", "2020-01-01", "--to", "2020-01-02", "--deadline", "2099-01-10", "--no-send")]
    [InlineData("host IP that is no address", "notice", "issue", "--org", "XC12345678", "--host-ip", "10.1", "--malicious-ip", "203.0.113.9", "--from", "2020-01-01", "--to", "2020-01-02", "--deadline", "+14", "--no-send")]
    [InlineData("malicious IP that is a name", "notice", "issue", "--org", "XC12345678", "--host-ip", "10.1.2.3", "--malicious-ip", "evil.example", "--from", "2020-01-01", "--to", "2020-01-02", "--deadline", "+14", "--no-send")]
    [InlineData("as-of years away", "jobs", "run", "digest", "--as-of", "2099-01-01T09:00")]
    public async Task OutOfRangeValue_ExitsTwoWithOneLineAndRecordsNothing(string what, params string[] args)
    {
        var cli = MailIntakeCli.ForDropFolder(_workspace, output);
        await cli.ImportOrgsAsync("code,name,email,phone,contact\nXC12345678,臺南市測試公會,org@example.tw,06-1234567,李大同\n");
        var inTwoWeeks = TestClock.Today.AddDays(14).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var result = await cli.RunAsync(args.Select(arg => arg == "+14" ? inTwoWeeks : arg).ToArray());

        Assert.True(result.ExitCode == 2, $"{what} must be refused with exit 2: {result.Describe()}");
        AssertOneErrorLine(result);
        Assert.Empty(await cli.RunJsonAsync<List<System.Text.Json.Nodes.JsonNode>>("notice", "list", "--json"));
    }

    public void Dispose() => _workspace.Dispose();

    private static void AssertOneErrorLine(CliResult result)
    {
        Assert.True(result.StderrLines.Length == 1 && result.StderrLines[0].Trim().Length > 0,
            $"stderr must be exactly one line: {result.Describe()}");
        Assert.False(result.Stdout.Split('\n').Concat(result.StderrLines).Any(l => l.StartsWith("   at ", StringComparison.Ordinal)),
            $"no stack trace: {result.Describe()}");
    }
}
