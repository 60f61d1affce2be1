using System.Diagnostics;
using System.Text;

namespace MailIntake.Bench;

public sealed record ProcessResult(int ExitCode, TimeSpan Elapsed, string Stdout, string Stderr)
{
    public ProcessResult EnsureSuccess(string what) => ExitCode == 0
        ? this
        : throw new InvalidOperationException($"{what} exited {ExitCode}\n--- stdout ---\n{Tail(Stdout)}\n--- stderr ---\n{Tail(Stderr)}");

    private static string Tail(string text) => text.Length > 4000 ? "…" + text[^4000..] : text;
}

/// <summary>Starts programs the way an operator would, with only the environment given, and times them wall-clock.</summary>
public static class Processes
{
    public static async Task<ProcessResult> RunAsync(
        string file, IEnumerable<string> args, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? timeout = null)
    {
        using var process = Start(file, args, workingDirectory, environment);
        var watch = Stopwatch.StartNew();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(30));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in {timeout}");
        }

        var elapsed = watch.Elapsed;
        return new ProcessResult(process.ExitCode, elapsed, await stdout, await stderr);
    }

    public static Process Start(string file, IEnumerable<string> args, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MailIntake__", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(key);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            start.Environment[key] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        process.StandardInput.Close();
        return process;
    }
}
