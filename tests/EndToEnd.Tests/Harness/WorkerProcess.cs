using System.Diagnostics;
using System.Runtime.InteropServices;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace MailIntake.EndToEnd.Tests.Harness;

/// <summary>
/// The program running as a long-lived child process (<c>mailintake run</c> until stopped), started exactly as
/// <see cref="MailIntakeCli"/> starts a command. Its stderr (every log line) is read as it comes, so a test can wait for
/// a line, and the process can be ended the two ways the real world ends it: SIGKILL (<see cref="Kill"/>: a power cut,
/// the OOM killer) or SIGTERM (<see cref="StopAsync"/>: systemd stopping the service).
/// </summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private const int SigCont = 18; // Linux x86-64 and arm64
    private const int SigStop = 19;
    private static readonly TimeSpan LinePoll = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// How long a worker may take to log "IMAP connected": start-up, the jobs it runs at once and the mails left to process
    /// before its first pull. Generous, because CI runs test assemblies side by side on two loaded cores; a working
    /// worker answers in seconds, so only a broken one ever waits this long.
    /// </summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromMinutes(2);

    private readonly Process _process;
    private readonly ITestOutputHelper _output;
    private readonly List<string> _stderr = [];
    private readonly object _gate = new();

    private WorkerProcess(Process process, string name, ITestOutputHelper output)
    {
        _process = process;
        Name = name;
        _output = output;
    }

    /// <summary>A label for the test output (<c>run #3</c>).</summary>
    public string Name { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Whether <see cref="Kill"/> ended it.</summary>
    public bool Killed { get; private set; }

    /// <summary>Starts <c>mailintake ARGS</c> (default <c>run</c>, the worker until stopped) with <paramref name="cli"/>'s configuration.</summary>
    public static WorkerProcess Start(MailIntakeCli cli, ITestOutputHelper output, string name, params string[] args)
    {
        var start = cli.StartInfo(args.Length == 0 ? ["run"] : args);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var worker = new WorkerProcess(process, name, output);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (worker._gate)
                    worker._stderr.Add(e.Data);
            }
        };
        process.OutputDataReceived += (_, _) => { }; // stdout is command output; a worker prints none, but it must be drained.
        if (!process.Start())
            throw new InvalidOperationException("dotnet did not start");
        process.StandardInput.Close();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return worker;
    }

    /// <summary>Every stderr line so far.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
                return _stderr.ToArray();
        }
    }

    public int CountLines(Func<string, bool> predicate) => Lines.Count(predicate);

    /// <summary>
    /// Waits until a stderr line from index <paramref name="from"/> on matches; returns its index. Fails with the log
    /// when <paramref name="timeout"/> passes or the process exits first.
    /// </summary>
    public async Task<int> WaitForLineAsync(Func<string, bool> predicate, TimeSpan timeout, string what, int from = 0)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            // Exited is read before the lines: a process that logged the line and exited between the two reads would
            // otherwise be failed for a line it wrote. And exited is not yet every line read: its last lines may still
            // be on their way from the pipe, which WaitForExitAsync drains to the end.
            var exited = _process.HasExited;
            if (exited)
                await _process.WaitForExitAsync();
            var lines = Lines;
            for (var i = from; i < lines.Count; i++)
            {
                if (predicate(lines[i]))
                    return i;
            }

            if (exited)
                throw new XunitException($"{Name} exited ({_process.ExitCode}) before {what}:\n{Tail()}");
            if (clock.Elapsed > timeout)
                throw new XunitException($"{Name}: no {what} after {timeout.TotalSeconds:0} s:\n{Tail()}");
            await Task.Delay(LinePoll);
        }
    }

    /// <summary>SIGKILL: no shutdown code runs, nothing is flushed. Returns once the process is gone.</summary>
    public void Kill()
    {
        // On Linux Process.Kill is kill(pid, SIGKILL); the started process is `dotnet mailintake.dll` itself.
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        Killed = true;
    }

    /// <summary>
    /// SIGSTOP: the worker stands still where it is, holding what it holds (its DataDirectory lock, its open files), as a
    /// worker that has not got to its next check yet; <see cref="Resume"/> lets it go on.
    /// </summary>
    public void Pause() => Signal(SigStop);

    /// <summary>SIGCONT, after <see cref="Pause"/>.</summary>
    public void Resume() => Signal(SigCont);

    private void Signal(int signal)
    {
        if (SendSignal(_process.Id, signal) != 0)
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>SIGTERM, the way a service manager stops the worker; waits for it to exit and returns its exit code.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        if (!_process.HasExited && SendSignal(_process.Id, SigTerm) != 0)
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new XunitException($"{Name} did not stop within {timeout.TotalSeconds:0} s of SIGTERM and was killed:\n{Tail()}");
        }

        return _process.ExitCode;
    }

    /// <summary>
    /// Waits for a worker that stops by itself (it logged why) to exit, and returns its exit code. No signal: a SIGTERM
    /// landing while it already tears down finds no handler and ends it with 143 instead of its own code.
    /// </summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new XunitException($"{Name} did not exit within {timeout.TotalSeconds:0} s of saying it stops, and was killed:\n{Tail()}");
        }

        return _process.ExitCode;
    }

    /// <summary>The last stderr lines, for failure messages.</summary>
    public string Tail(int lines = 60) => string.Join('\n', Lines.TakeLast(lines));

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        // Also when it had exited: its last stderr lines may still be on their way from the pipe.
        await _process.WaitForExitAsync();

        var end = Killed ? "SIGKILL" : $"exit {_process.ExitCode}";
        _output.WriteLine($"--- {Name} (pid {_process.Id}, {end}): stderr, last 40 of {Lines.Count} lines ---");
        _output.WriteLine(Tail(40));
        _process.Dispose();
    }

    // DllImport, not LibraryImport: an int-only signature needs no marshalling code, and no unsafe blocks in tests.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
