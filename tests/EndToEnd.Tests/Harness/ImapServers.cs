using System.Diagnostics;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace MailIntake.EndToEnd.Tests.Harness;

/// <summary>
/// One real IMAP server the two-server suite (<see cref="ImapServerSuite"/>) runs against, as a class fixture: its
/// settings, the account the program reads there, how the server drops that account's connections in the wild, and what
/// it does to the mail it stores.
/// </summary>
public abstract class ImapServer
{
    public abstract MailStackSettings Stack { get; }

    /// <summary>The account the program reads. No other test class uses it, so dropping its connections disturbs nobody.</summary>
    public abstract string CenterUser { get; }

    /// <summary>What <see cref="DropConnectionsAsync"/> does, for the test output.</summary>
    public abstract string DropName { get; }

    /// <summary>Whether the server rewrites raw 8-bit header bytes to <c>X</c> when it stores a message (Cyrus <c>munge8bit</c>).</summary>
    public abstract bool RewritesEightBitHeaders { get; }

    /// <summary>Drops every open connection of <see cref="CenterUser"/> the way this server does; returns once it takes logins again.</summary>
    public abstract Task DropConnectionsAsync(ITestOutputHelper output);

    public override string ToString() => Stack.Server;

    /// <summary>Runs a server tool as the tests' user (root in CI); fails with its output when it exits non-zero.</summary>
    protected static async Task RunToolAsync(ITestOutputHelper output, string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            start.Environment[key] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(cts.Token);
        var text = $"`{file} {string.Join(' ', start.ArgumentList)}` exited {process.ExitCode}\n{await stdout}{await stderr}".TrimEnd();
        output.WriteLine(text);
        if (process.ExitCode != 0)
            throw new XunitException(text);
    }
}

/// <summary>
/// The loopback Dovecot of tools/mailstack/start.sh (MAILSTACK_ENV). The program reads the <c>interop</c> account:
/// <c>doveadm kick</c> drops every connection of a user, and every other test class reads <c>center</c>.
/// </summary>
public sealed class DovecotServer : ImapServer
{
    public override MailStackSettings Stack => MailStack.Settings;

    public override string CenterUser => $"interop@{Stack.Domain}";

    public override string DropName => "doveadm kick";

    public override bool RewritesEightBitHeaders => false;

    public override Task DropConnectionsAsync(ITestOutputHelper output) =>
        RunToolAsync(output, "doveadm", ["-c", Path.Combine(Stack.Directory, "dovecot", "dovecot.conf"), "kick", CenterUser]);
}

/// <summary>
/// The loopback Cyrus IMAP of tools/mailstack/cyrus-start.sh (MAILSTACK_CYRUS_ENV, default
/// /tmp/mailstack-cyrus/mailstack.env). Only this suite uses it; a restart drops every connection.
/// </summary>
public sealed class CyrusServer : ImapServer
{
    public const string DefaultEnvFile = "/tmp/mailstack-cyrus/mailstack.env";

    private static readonly Lazy<MailStackSettings> LazyStack = new(() => MailStack.Load(
        Environment.GetEnvironmentVariable("MAILSTACK_CYRUS_ENV") is { Length: > 0 } path ? path : DefaultEnvFile));

    public override MailStackSettings Stack => LazyStack.Value;

    public override string CenterUser => Stack.CenterUser;

    public override string DropName => "Cyrus restart";

    /// <summary>cyrus-start.sh keeps Cyrus's default <c>munge8bit: yes</c>.</summary>
    public override bool RewritesEightBitHeaders => true;

    /// <summary>cyrus-start.sh again: it stops the running master (closing every connection) and starts it, keeping the mail.</summary>
    public override Task DropConnectionsAsync(ITestOutputHelper output) =>
        RunToolAsync(output, "bash", [Path.Combine(RepoPaths.SolutionDirectory, "tools", "mailstack", "cyrus-start.sh")], new Dictionary<string, string>
        {
            ["MAILSTACK_DIR"] = Stack.Directory,
            ["MAILSTACK_DOMAIN"] = Stack.Domain,
            ["MAILSTACK_IMAP_PORT"] = Stack.ImapPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["MAILSTACK_IMAPS_PORT"] = Stack.ImapsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["MAILSTACK_USERS"] = string.Join(' ', Stack.Passwords.Select(user => $"{user.Key.Split('@')[0]}:{user.Value}")),
            ["MAILSTACK_NO_INSTALL"] = "1",
        });
}
