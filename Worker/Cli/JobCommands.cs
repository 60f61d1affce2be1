using System.CommandLine;
using MailIntake.Storage;
using MailIntake.Worker.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace MailIntake.Worker.Cli;

public static class JobCommands
{
    private static readonly string[] Jobs = ["reminders", "overdue", "phone-prompts", "digest", "outbox"];

    public static void Add(RootCommand root)
    {
        var name = new Argument<string>("NAME") { Description = string.Join("|", Jobs) };
        name.AcceptOnlyFromAmong(Jobs);
        var asOf = new Option<string?>("--as-of") { Description = "以此時間執行（ISO 8601；未含時區時為臺北時間）" };
        var run = new Command("run", "立即執行一個排程工作（與排程相同的程式路徑），然後寄出它排入佇列的郵件") { name, asOf };
        run.SetAction((parseResult, _) => RunAsync(parseResult.GetValue(name)!, parseResult.GetValue(asOf)));
        root.Subcommands.Add(new Command("jobs", "排程工作") { run });
    }

    private static Task<int> RunAsync(string job, string? asOf) =>
        CliApp.WithServices(
            verbose: false,
            async services =>
            {
                if (services.GetRequiredService<Database>().WhyNotWritable() is DatabaseNotWritableException notWritable)
                {
                    // Every job records what it did: on a database it may read but not write, it would fail half-way
                    // saying only 「唯讀」, or send and not record it. Named as status names it (h11z F9).
                    throw notWritable;
                }

                var sweeper = services.GetServices<ISweeper>().Single(candidate => candidate.Name == job);
                Console.WriteLine(await sweeper.RunAsync(CancellationToken.None));
                if (sweeper is not OutboxSweeper)
                {
                    Console.WriteLine(await services.GetRequiredService<OutboxSweeper>().RunAsync(CancellationToken.None));
                }

                return 0;
            },
            asOf: asOf,
            // A job works on the store there is; on a disk that failed to mount it makes none (h11y N3).
            existingStore: true);
}
