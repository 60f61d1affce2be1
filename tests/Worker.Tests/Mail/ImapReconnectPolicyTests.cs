using MailIntake.Worker.Mail;
using MailKit.Net.Imap;
using MailKit.Security;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;

namespace MailIntake.Worker.Tests.Mail;

/// <summary>The IMAP pipeline (<see cref="MailResilience.BuildImap"/>) is the reconnect policy; time is a FakeTimeProvider.</summary>
public sealed class ImapReconnectPolicyTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public async Task BuildImap_ServerAwayForEightAttempts_RetriesAfter1_2_4_8ThenEvery15Seconds()
    {
        var time = new DelayClock(Start);
        var attempts = new List<double>();

        var run = Attempts(MailResilience.BuildImap(time, TimeSpan.FromMinutes(2), NullLogger.Instance), time, attempts, failures: 8);
        await AdvanceUntilDoneAsync(time, run);

        Assert.Equal([0, 1, 3, 7, 15, 30, 45, 60, 75], attempts);
        Assert.Equal(1, await run);
    }

    [Fact]
    public async Task BuildImap_ServerAwayLong_KeepsRetryingUntilTheWorkerStops()
    {
        var time = new DelayClock(Start);
        var attempts = new List<double>();
        using var stop = new CancellationTokenSource();

        var run = Attempts(MailResilience.BuildImap(time, TimeSpan.FromMinutes(1), NullLogger.Instance), time, attempts, failures: int.MaxValue, stop.Token);
        while (time.GetUtcNow() - Start < TimeSpan.FromHours(1))
            time.Advance(await time.NextDelayAsync());
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        // 0, 1, 3, 7, 15, then every 15 s: an hour of outage is 244 attempts, never a wait as long as the poll interval.
        Assert.Equal(244, attempts.Count);
        Assert.All(attempts.Zip(attempts.Skip(1), (a, b) => b - a), gap => Assert.InRange(gap, 1, 15));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(20, 5)]
    [InlineData(60, 15)]
    [InlineData(120, 15)]
    [InlineData(3600, 15)]
    public void ReconnectCap_PollInterval_IsAQuarterOfItBetweenOneAndFifteenSeconds(int pollSeconds, int capSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(capSeconds), MailResilience.ReconnectCap(TimeSpan.FromSeconds(pollSeconds)));

    [Fact]
    public async Task BuildImap_WithMaxRetries_GivesUpAfterThemWithTheLastError()
    {
        var time = new DelayClock(Start);
        var attempts = new List<double>();
        var context = ResilienceContextPool.Shared.Get();
        context.Properties.Set(MailResilience.MaxRetries, 3);

        var run = MailResilience.BuildImap(time, TimeSpan.FromMinutes(1), NullLogger.Instance).ExecuteAsync(
            _ =>
            {
                attempts.Add((time.GetUtcNow() - Start).TotalSeconds);
                throw new IOException($"refused #{attempts.Count}");
            },
            context).AsTask();
        await AdvanceUntilDoneAsync(time, run);

        var error = await Assert.ThrowsAsync<IOException>(() => run);
        Assert.Equal("refused #4", error.Message);
        Assert.Equal([0, 1, 3, 7], attempts);
    }

    [Fact]
    public async Task BuildImap_LoginRefusedOrServerSaysNo_NotRetried()
    {
        var time = new DelayClock(Start);
        var pipeline = MailResilience.BuildImap(time, TimeSpan.FromMinutes(1), NullLogger.Instance);
        var attempts = 0;

        await Assert.ThrowsAsync<AuthenticationException>(() => pipeline.ExecuteAsync<int>(_ => { attempts++; throw new AuthenticationException("wrong password"); }).AsTask());
        await Assert.ThrowsAsync<ImapCommandException>(() => pipeline.ExecuteAsync<int>(_ => { attempts++; throw new ImapCommandException(ImapCommandResponse.No, "no such folder"); }).AsTask());

        Assert.Equal(2, attempts);
    }

    /// <summary>Runs the pipeline over an action that fails with a dropped connection <paramref name="failures"/> times, noting each attempt's second.</summary>
    private static Task<int> Attempts(ResiliencePipeline pipeline, TimeProvider time, List<double> attempts, int failures, CancellationToken cancellationToken = default) =>
        pipeline.ExecuteAsync(
            _ =>
            {
                attempts.Add((time.GetUtcNow() - Start).TotalSeconds);
                return attempts.Count <= failures
                    ? throw new ImapProtocolException("The IMAP server has unexpectedly disconnected.")
                    : ValueTask.FromResult(1);
            },
            cancellationToken).AsTask();

    /// <summary>Moves the clock by each delay the pipeline waits, as soon as it starts waiting, until <paramref name="run"/> ends.</summary>
    private static async Task AdvanceUntilDoneAsync(DelayClock time, Task run)
    {
        while (true)
        {
            var delay = time.NextDelayAsync();
            if (await Task.WhenAny(run, delay) == run)
                return;
            time.Advance(await delay);
        }
    }
}
