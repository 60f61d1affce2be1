using System.CommandLine;
using MailIntake.Worker.Outbound;
using Microsoft.Extensions.DependencyInjection;

namespace MailIntake.Worker.Cli;

public static class JobCommands
{
    private static readonly string[] Jobs = ["outbox"];

    public static void Add(RootCommand root)
    {
        var name = new Argument<string>("NAME") { Description = "outbox" };
        name.AcceptOnlyFromAmong(Jobs);
        var asOf = new Option<string?>("--as-of") { Description = "以此時間執行（ISO 8601；未含時區時為臺北時間）" };
        var run = new Command("run", "立即執行一個排程工作，然後寄出它排入佇列的郵件") { name, asOf };
        run.SetAction((parseResult, _) => RunAsync(parseResult.GetValue(name)!, parseResult.GetValue(asOf)));
        root.Subcommands.Add(new Command("jobs", "排程工作") { run });
    }

    private static Task<int> RunAsync(string job, string? asOf) =>
        CliApp.WithServices(
            verbose: false,
            async services =>
            {
                var sent = await services.GetRequiredService<OutboxSender>().SendDueAsync(CancellationToken.None);
                Console.WriteLine($"{job}：寄出 {sent.Sent} 封{(sent.Failed > 0 ? $"，{sent.Failed} 封寄送失敗" : "")}");
                return sent.Failed > 0 ? 1 : 0;
            },
            asOf: asOf);
}
