using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace MailIntake.EndToEnd.Tests.Harness;

/// <summary>What one run of the program did.</summary>
public sealed record CliResult(IReadOnlyList<string> Args, int ExitCode, string Stdout, string Stderr)
{
    public string[] StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    /// <summary>The command and everything it printed, for failure messages.</summary>
    public string Describe() =>
        $"`mailintake {string.Join(' ', Args)}` exited {ExitCode}\n--- stdout ---\n{Stdout.TrimEnd()}\n--- stderr ---\n{Stderr.TrimEnd()}";
}

/// <summary>
/// Runs the real program (<c>dotnet mailintake.dll ARGS</c>, built next to this test assembly) with the
/// workspace as working directory and its whole configuration in <c>MailIntake__*</c> environment variables.
/// </summary>
public sealed class MailIntakeCli
{
    /// <summary>
    /// A command answers in about a second; the bound only ends a hung one. Generous: a clean-clone CI run on a machine
    /// at load 45 saw `notice issue` still running after 60 s.
    /// </summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    private static readonly Lazy<string> LazyProgramDirectory = new(LocateProgramDirectory);

    private readonly TestWorkspace _workspace;
    private readonly ITestOutputHelper _output;

    private MailIntakeCli(TestWorkspace workspace, ITestOutputHelper output, IReadOnlyDictionary<string, string> mailbox)
    {
        _workspace = workspace;
        _output = output;
        Environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["MailIntake__DataDirectory"] = workspace.DataDirectory,
            ["MailIntake__Smtp__Kind"] = "Folder",
            ["MailIntake__Smtp__PickupFolder"] = workspace.Outbox,
            ["MailIntake__Clock__Offset"] = TestClock.Offset,
        };
        foreach (var (key, value) in mailbox)
            Environment[$"MailIntake__Mailbox__{key}"] = value;
    }

    /// <summary>The program reading the center's IMAP <paramref name="folder"/> on the loopback Dovecot (STARTTLS, the stack's CA).</summary>
    public static MailIntakeCli ForImap(TestWorkspace workspace, ITestOutputHelper output, string folder) =>
        ForImap(workspace, output, folder, MailStack.Settings, MailStack.Settings.CenterUser);

    /// <summary>The program reading <paramref name="user"/>'s IMAP <paramref name="folder"/> on <paramref name="stack"/>'s server (STARTTLS, its CA).</summary>
    public static MailIntakeCli ForImap(TestWorkspace workspace, ITestOutputHelper output, string folder, MailStackSettings stack, string user)
    {
        return new MailIntakeCli(workspace, output, new Dictionary<string, string>
        {
            ["Kind"] = "Imap",
            ["Host"] = stack.Host,
            ["Port"] = stack.ImapPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Security"] = "StartTls",
            ["CaCertificate"] = stack.CaCertificateFile,
            ["User"] = user,
            ["Password"] = stack.PasswordOf(user),
            ["Folder"] = folder,
            ["UseIdle"] = "false",
        });
    }

    /// <summary>The program on the Folder mailbox kind (no mail server needed), for commands that never read mail.</summary>
    public static MailIntakeCli ForDropFolder(TestWorkspace workspace, ITestOutputHelper output) =>
        new(workspace, output, new Dictionary<string, string>
        {
            ["Kind"] = "Folder",
            ["DropFolder"] = Path.Combine(workspace.Root, "drop"),
        });

    /// <summary>
    /// Opt-in: the program sends over SMTP to the loopback Postfix (STARTTLS, the stack's CA, From center@) instead of
    /// writing .eml files to the pickup folder. <paramref name="port"/> defaults to the stack's SMTP port; pass a
    /// <see cref="TcpRelay"/>'s port to put a relay in between.
    /// </summary>
    public MailIntakeCli UseSmtp(int? port = null)
    {
        var stack = MailStack.Settings;
        Environment["MailIntake__Smtp__Kind"] = "Smtp";
        Environment["MailIntake__Smtp__Host"] = stack.Host;
        Environment["MailIntake__Smtp__Port"] = (port ?? stack.SmtpPort).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Environment["MailIntake__Smtp__Security"] = "StartTls";
        Environment["MailIntake__Smtp__CaCertificate"] = stack.CaCertificateFile;
        Environment["MailIntake__Smtp__From"] = stack.CenterUser;
        Environment.Remove("MailIntake__Smtp__PickupFolder");
        return this;
    }

    /// <summary>The environment the program gets on top of the test process's own (minus any inherited MailIntake__*).</summary>
    public IDictionary<string, string> Environment { get; }

    /// <summary>
    /// A program (and its arguments) the run goes through, e.g. <c>/usr/bin/time -v -o FILE</c> to measure the peak
    /// memory; empty (the default) runs dotnet directly.
    /// </summary>
    public IReadOnlyList<string> CommandPrefix { get; set; } = [];

    /// <summary>Where mailintake.dll and its appsettings.json are.</summary>
    public static string ProgramDirectory => LazyProgramDirectory.Value;

    public Task<CliResult> RunAsync(params string[] args) => RunAsync(DefaultTimeout, args);

    public Task<CliResult> RunAsync(TimeSpan timeout, params string[] args) => RunAsync(timeout, log: true, args);

    /// <summary>
    /// A command polled many times (status, mail list while waiting): its output goes to the test output only when it
    /// fails or times out, so a poll loop does not bury the rest.
    /// </summary>
    public Task<CliResult> RunQuietAsync(params string[] args) => RunAsync(DefaultTimeout, log: false, args);

    private async Task<CliResult> RunAsync(TimeSpan timeout, bool log, string[] args)
    {
        using var process = Process.Start(StartInfo(args)) ?? throw new InvalidOperationException("dotnet did not start");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            var killed = new CliResult(args, -1, await stdout, await stderr);
            Log(killed);
            throw new XunitException($"timed out after {timeout.TotalSeconds:0} s and was killed: {killed.Describe()}");
        }

        var result = new CliResult(args, process.ExitCode, await stdout, await stderr);
        if (log || result.ExitCode != 0)
            Log(result);
        return result;
    }

    /// <summary>
    /// How the program is started: <c>dotnet mailintake.dll ARGS</c> in the workspace, with this configuration and no
    /// inherited MailIntake__* variables. <see cref="WorkerProcess"/> starts the long-running worker the same way.
    /// </summary>
    public ProcessStartInfo StartInfo(IReadOnlyList<string> args)
    {
        var start = new ProcessStartInfo(CommandPrefix.Count > 0 ? CommandPrefix[0] : DotnetExecutable())
        {
            WorkingDirectory = _workspace.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        if (CommandPrefix.Count > 0)
        {
            foreach (var arg in CommandPrefix.Skip(1))
                start.ArgumentList.Add(arg);
            start.ArgumentList.Add(DotnetExecutable());
        }

        start.ArgumentList.Add(Path.Combine(ProgramDirectory, "mailintake.dll"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MailIntake__", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(key);
        foreach (var (key, value) in Environment)
            start.Environment[key] = value;
        return start;
    }

    /// <summary>Runs a command that must succeed (exit 0); returns its stdout.</summary>
    public async Task<string> RunOkAsync(params string[] args)
    {
        var result = await RunAsync(args);
        if (result.ExitCode != 0)
            throw new XunitException($"expected exit code 0: {result.Describe()}");
        return result.Stdout;
    }

    /// <summary>Runs a <c>--json</c> command that must succeed and deserialises its stdout by the contract's shape.</summary>
    public async Task<T> RunJsonAsync<T>(params string[] args)
    {
        var stdout = await RunOkAsync(args);
        try
        {
            return JsonSerializer.Deserialize<T>(stdout, ContractJson.Options)
                   ?? throw new XunitException($"`mailintake {string.Join(' ', args)}` printed JSON null");
        }
        catch (JsonException e)
        {
            throw new XunitException(
                $"`mailintake {string.Join(' ', args)}` output does not match the CONTRACT.md shape of {typeof(T).Name}: {e.Message}\n--- stdout ---\n{stdout}");
        }
    }

    /// <summary>Runs a <c>--json</c> command that must succeed; returns the parsed JSON as it is.</summary>
    public async Task<JsonNode> RunJsonNodeAsync(params string[] args)
    {
        var stdout = await RunOkAsync(args);
        try
        {
            return JsonNode.Parse(stdout) ?? throw new XunitException($"`mailintake {string.Join(' ', args)}` printed JSON null");
        }
        catch (JsonException e)
        {
            throw new XunitException($"`mailintake {string.Join(' ', args)}` did not print JSON: {e.Message}\n--- stdout ---\n{stdout}");
        }
    }

    // ---- the CONTRACT.md commands the scenarios use ----

    public async Task ImportOrgsAsync(string csv) =>
        await RunOkAsync("orgs", "import", _workspace.WriteInput($"orgs-{Guid.NewGuid():N}.csv", csv));

    /// <summary>
    /// <c>notice issue …</c> with deadline 115/12/10, <c>--no-send</c> unless <paramref name="send"/>; returns the
    /// reference, which is stdout's last line.
    /// </summary>
    public async Task<string> IssueNoticeAsync(string orgCode, bool send = false)
    {
        string[] args =
        [
            "notice", "issue", "--org", orgCode, "--host-ip", "10.1.2.3", "--malicious-ip", "203.0.113.9",
            "--from", "115/11/01", "--to", "115/11/15", "--deadline", "115/12/10",
            // Scenarios often need several notices to one organisation for this one incident (two open notices, an
            // ambiguous reply): --again lets them; the guard against a command run twice has its own tests.
            "--again",
            .. send ? Array.Empty<string>() : ["--no-send"],
        ];
        var result = await RunAsync(args);
        var last = result.Stdout.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Length > 0);
        if (result.ExitCode != 0 || string.IsNullOrEmpty(last) || last.Contains(' '))
            throw new XunitException($"`notice issue` must exit 0 and print the reference alone on stdout's last line: {result.Describe()}");
        return last;
    }

    public Task RunOnceAsync() => RunOkAsync("run", "--once");

    /// <summary><c>jobs run outbox --as-of ASOF</c>, the clock read as ASOF; the result is returned as it is, for the test to judge.</summary>
    public Task<CliResult> RunOutboxJobAsync(DateTimeOffset asOf) =>
        RunAsync("jobs", "run", "outbox", "--as-of", asOf.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture));

    public Task<NoticeJson> ShowNoticeAsync(string reference) => RunJsonAsync<NoticeJson>("notice", "show", reference, "--json");

    public Task<List<MailJson>> ListMailAsync(string? kind = null) =>
        kind is null
            ? RunJsonAsync<List<MailJson>>("mail", "list", "--json")
            : RunJsonAsync<List<MailJson>>("mail", "list", "--kind", kind, "--json");

    private void Log(CliResult result)
    {
        // Shown with the test when it fails: every command the test ran, with the program's stderr.
        _output.WriteLine(result.Describe());
        _output.WriteLine("");
    }

    private static string DotnetExecutable()
    {
        // The test host runs under the same dotnet; fall back to the SDK's hint, then PATH.
        var self = System.Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet")
            return self;
        return System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
    }

    private static string LocateProgramDirectory()
    {
        static bool Complete(string dir) =>
            File.Exists(Path.Combine(dir, "mailintake.dll")) && File.Exists(Path.Combine(dir, "appsettings.json"));

        // The ProjectReference copies the Worker's build output (and its appsettings.json) next to the tests.
        if (Complete(AppContext.BaseDirectory))
            return AppContext.BaseDirectory;

        var configuration = typeof(MailIntakeCli).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var worker = Path.Combine(RepoPaths.SolutionDirectory, "Worker", "bin", configuration, "net10.0");
        if (Complete(worker))
            return worker;

        throw new FileNotFoundException(
            $"mailintake.dll with appsettings.json found neither in {AppContext.BaseDirectory} nor in {worker}: build the solution first (dotnet build MailIntake.sln -c {configuration})");
    }
}
