using System.Diagnostics;
using Dapper;
using MailKit;
using Microsoft.Data.Sqlite;
using MimeKit;

namespace MailIntake.Bench;

/// <summary>
/// With the worker running (IDLE on), APPENDs one mail at a time and waits until the worker has recorded it
/// (its row in <c>mails</c>) and processed it (its kind is no longer <c>received</c>), watching the database read-only.
/// </summary>
public static class IdleLatency
{
    public static async Task<(Sample Recorded, Sample Processed)> RunAsync(
        Stack stack, string folderName, string databasePath, int count, Func<int, byte[]> serialize, Func<string> workerState)
    {
        using var client = await stack.ConnectAsync();
        var folder = await client.GetFolderAsync(folderName);
        await using var database = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());

        var recorded = new List<double>();
        var processed = new List<double>();
        // Mail 0 warms up the worker (the first pass after start-up connects and loads); it is not counted.
        for (var i = 0; i <= count; i++)
        {
            var message = MimeMessage.Load(new MemoryStream(serialize(i)));
            var watch = Stopwatch.StartNew();
            var uid = await folder.AppendAsync(message) ?? throw new InvalidOperationException("Dovecot did not return the APPENDUID");
            var source = $"imap:{folderName}:{uid.Validity}:{uid.Id}";
            double? recordedAt = null;
            while (true)
            {
                if (watch.Elapsed > TimeSpan.FromSeconds(120))
                    throw new TimeoutException($"mail {source} not processed after 120 s; worker: {workerState()}");
                if (database.State != System.Data.ConnectionState.Open && File.Exists(databasePath))
                    await database.OpenAsync();
                var kind = database.State == System.Data.ConnectionState.Open
                    ? await database.QuerySingleOrDefaultAsync<string?>("SELECT kind FROM mails WHERE source = @source", new { source })
                    : null;
                if (kind is not null)
                {
                    recordedAt ??= watch.Elapsed.TotalSeconds;
                    if (kind != "received")
                        break;
                }

                await Task.Delay(2);
            }

            if (i > 0)
            {
                recorded.Add(recordedAt!.Value);
                processed.Add(watch.Elapsed.TotalSeconds);
            }
        }

        await client.DisconnectAsync(true);
        return (new Sample(recorded), new Sample(processed));
    }

    /// <summary>
    /// The server's own part, with no worker: a bare MailKit client IDLEs on the folder, as the worker does, while another
    /// connection APPENDs one mail at a time; timed from before the APPEND until the idling client hears EXISTS. The
    /// worker's latency is this plus what the worker adds (the target: at most 30 ms more at the 95th percentile).
    /// </summary>
    public static async Task<Sample> ServerAsync(Stack stack, string folderName, int count, Func<int, byte[]> serialize)
    {
        using var idler = await stack.ConnectAsync();
        using var appender = await stack.ConnectAsync();
        var watched = await idler.GetFolderAsync(folderName);
        await watched.OpenAsync(FolderAccess.ReadOnly);
        var target = await appender.GetFolderAsync(folderName);
        var heard = new List<double>();
        // Mail 0 warms both connections up and is not counted, as in RunAsync.
        for (var i = 0; i <= count; i++)
        {
            var message = MimeMessage.Load(new MemoryStream(serialize(i)));
            using var done = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            var watch = new Stopwatch();
            double? heardAt = null;
            void OnCountChanged(object? sender, EventArgs e)
            {
                heardAt ??= watch.Elapsed.TotalSeconds;
                done.Cancel();
            }

            watched.CountChanged += OnCountChanged;
            var idle = idler.IdleAsync(done.Token);
            // Let the IDLE be under way before the APPEND, as the worker's is (else the server answers the IDLE itself).
            await Task.Delay(200);
            watch.Start();
            await target.AppendAsync(message);
            await idle;
            watched.CountChanged -= OnCountChanged;
            if (heardAt is null)
                throw new TimeoutException($"the idling client heard no EXISTS within 120 s of APPEND {i}");
            if (i > 0)
                heard.Add(heardAt.Value);
        }

        await appender.DisconnectAsync(true);
        await idler.DisconnectAsync(true);
        return new Sample(heard);
    }
}
