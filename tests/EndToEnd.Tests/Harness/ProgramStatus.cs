using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace MailIntake.EndToEnd.Tests.Harness;

/// <summary><c>mailintake status --json</c> run as a separate command on the data directory a running worker uses.</summary>
public static class ProgramStatus
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    public static async Task<JsonNode> ReadAsync(MailIntakeCli cli)
    {
        var result = await cli.RunQuietAsync("status", "--json");
        if (result.ExitCode != 0)
            throw new XunitException($"status must succeed while the worker runs: {result.Describe()}");
        try
        {
            return JsonNode.Parse(result.Stdout) ?? throw new XunitException("status --json printed JSON null");
        }
        catch (JsonException e)
        {
            throw new XunitException($"status --json did not print JSON: {e.Message}\n{result.Stdout}");
        }
    }

    /// <summary>
    /// Polls until <paramref name="condition"/> holds and returns that status; fails after <paramref name="timeout"/>, or
    /// at once if the worker exits, with the last status and the worker's log. Writes <paramref name="component"/>'s part.
    /// </summary>
    public static async Task<JsonNode> WaitForAsync(
        MailIntakeCli cli, ITestOutputHelper output, WorkerProcess worker, string component, Func<JsonNode, bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var status = await ReadAsync(cli);
            if (condition(status))
            {
                output.WriteLine($"{what} after {clock.Elapsed.TotalSeconds:0.0} s: {status[component]?.ToJsonString()}");
                return status;
            }
            if (worker.HasExited || clock.Elapsed > timeout)
                throw new XunitException($"no {what} after {clock.Elapsed.TotalSeconds:0} s (worker {(worker.HasExited ? "exited" : "running")}); last status {status}\n{worker.Tail()}");
            await Task.Delay(Poll);
        }
    }
}
