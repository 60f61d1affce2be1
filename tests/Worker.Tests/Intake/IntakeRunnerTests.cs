using MailIntake.Storage;
using MailIntake.Worker.Intake;
using MailIntake.Worker.Mail;
using Microsoft.Extensions.Logging.Abstractions;

namespace MailIntake.Worker.Tests.Intake;

/// <summary>A pass through the reconnect policy: each failed attempt is in the health record as it happens, the success clears it.</summary>
public sealed class IntakeRunnerTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.FromHours(8));

    private readonly WorkerHarness _harness = new(Start);

    [Fact]
    public async Task RunPassAsync_ServerRefusesTwiceThenAnswers_RetriesAfter1And2SecondsAndReportsFailingMeanwhile()
    {
        var time = new DelayClock(Start);
        var source = new FlakySource(failures: 2, time);
        var health = _harness.Get<HealthRepository>();
        var runner = new IntakeRunner(source, _harness.Get<IntakeProcessor>(), health,
            MailResilience.BuildImap(time, TimeSpan.FromMinutes(2), NullLogger.Instance), TimeSpan.FromMinutes(2), time, NullLogger<IntakeRunner>.Instance);

        var pass = runner.RunPassAsync(CancellationToken.None);
        var firstDelay = await time.NextDelayAsync(); // the first attempt has failed, the pipeline waits
        var failing = health.Get(HealthRepository.Intake);
        time.Advance(firstDelay);
        time.Advance(await time.NextDelayAsync());

        Assert.Equal(7, await pass);
        Assert.Equal([0, 1, 3], source.Attempts);
        Assert.Equal((Start, 1), (failing?.FailingSince, failing?.Failures));
        Assert.Equal("無法與郵件伺服器通訊：Connection refused", failing?.LastError);
        Assert.Equal((Start.AddSeconds(3), (DateTimeOffset?)null), (health.Get(HealthRepository.Intake)?.LastSuccessAt, health.Get(HealthRepository.Intake)?.FailingSince));
    }

    [Fact]
    public async Task RunPassAsync_OnceWithMaxRetries_EndsWithTheErrorWhenTheServerStaysAway()
    {
        var time = new DelayClock(Start);
        var source = new FlakySource(failures: int.MaxValue, time);
        var runner = new IntakeRunner(source, _harness.Get<IntakeProcessor>(), _harness.Get<HealthRepository>(),
            MailResilience.BuildImap(time, TimeSpan.FromMinutes(1), NullLogger.Instance), TimeSpan.FromMinutes(1), time, NullLogger<IntakeRunner>.Instance);

        var pass = runner.RunPassAsync(CancellationToken.None, maxRetries: 2);
        time.Advance(await time.NextDelayAsync());
        time.Advance(await time.NextDelayAsync());

        await Assert.ThrowsAsync<IOException>(() => pass);
        Assert.Equal([0, 1, 3], source.Attempts);
        Assert.Equal(3, _harness.Get<HealthRepository>().Get(HealthRepository.Intake)?.Failures);
    }

    [Fact]
    public async Task Batch_ProcessingStopsOnAFullDisk_CommitFailsInsteadOfWaitingForeverInsideTheFetch()
    {
        // The disk filled: processing a mail fails, and so does recording that failure, so the processing task ends.
        using (var connection = _harness.Get<Database>().Open())
        {
            Dapper.SqlMapper.Execute(connection, "CREATE TRIGGER full_disk BEFORE UPDATE ON mails BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END");
        }

        var batch = _harness.Get<IntakeProcessor>().StartBatch(groupSize: 2, CancellationToken.None);
        var fetch = Task.Run(async () =>
        {
            for (var index = 0; index < 12; index++)
            {
                await batch.AddAsync(TestMail.Serialize(TestMail.Reply($"Re: 回覆 {index}", [$"{index}.pdf"])), $"test:{index}", CancellationToken.None);
                if (index % 2 == 1)
                {
                    await batch.CommitAsync(checkpoint: null, CancellationToken.None);
                }
            }
        });

        // A generous bound on a hang (before the fix the FETCH waited for ever on the full queue of recorded mails).
        var failure = await Record.ExceptionAsync(() => fetch.WaitAsync(TimeSpan.FromMinutes(2)));

        Assert.True(failure is Microsoft.Data.Sqlite.SqliteException, $"the pass fails with the processing's error: {failure}");
    }

    public void Dispose() => _harness.Dispose();

    /// <summary>A mailbox whose server refuses the first <paramref name="failures"/> connections.</summary>
    private sealed class FlakySource(int failures, TimeProvider time) : IMailboxSource
    {
        public List<double> Attempts { get; } = [];

        public Task<int> PullAsync(IntakeProcessor processor, CancellationToken cancellationToken)
        {
            Attempts.Add((time.GetUtcNow() - Start).TotalSeconds);
            return Attempts.Count <= failures ? throw new IOException("Connection refused", new System.Net.Sockets.SocketException(111)) : Task.FromResult(7);
        }

        public Task WaitForMailAsync(DateTimeOffset? until, CancellationToken cancellationToken) => Task.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
