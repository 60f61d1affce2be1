using System.CommandLine;
using MailIntake.Storage;
using MailIntake.Worker.Application;
using MailIntake.Worker.Options;
using Microsoft.Extensions.DependencyInjection;

namespace MailIntake.Worker.Cli;

/// <summary><c>status</c>: the last successful intake and send (and OAuth2 token), failures and since when, queue sizes.</summary>
public static class StatusCommand
{
    public static void Add(RootCommand root)
    {
        var json = new Option<bool>("--json");
        var status = new Command("status", "健康狀態：最近一次成功收件與寄信、失敗起始時間、佇列數量") { json };
        status.SetAction((parseResult, _) => CliApp.WithServices(services => Show(services, parseResult.GetValue(json))));
        root.Subcommands.Add(status);
    }

    private static int Show(IServiceProvider services, bool json)
    {
        var options = services.GetRequiredService<MailIntakeOptions>();
        var zone = options.Zone;
        var view = services.GetRequiredService<HealthQuery>().Get();
        var queues = new
        {
            outboundQueued = view.OutboundQueued,
            outboundFailed = view.OutboundFailed,
            outboundBounced = view.OutboundBounced,
            mailsUnprocessed = view.MailsUnprocessed,
            mailsToSettle = view.MailsToSettle,
        };
        object Component(string name)
        {
            var health = view.Component(name);
            return new
            {
                ok = health is not null && health.FailingSince is null,
                lastSuccessAt = CliValues.Instant(health?.LastSuccessAt, zone),
                failingSince = CliValues.Instant(health?.FailingSince, zone),
                failures = health?.Failures ?? 0,
                lastError = health?.LastError,
            };
        }

        if (json)
        {
            CliJson.Write(Console.Out, new
            {
                intake = Component(HealthRepository.Intake),
                send = Component(HealthRepository.Send),
                token = view.UsesToken ? Component(HealthRepository.Token) : null,
                queues,
                mailbox = new { kind = options.Mailbox.Kind.ToString(), host = options.Mailbox.Host, folder = options.Mailbox.Folder },
            });
            return 0;
        }

        foreach (var name in view.Shown)
        {
            var health = view.Component(name);
            var state = health switch
            {
                null => "尚無紀錄",
                { FailingSince: null } => $"正常，上次成功 {(health.LastSuccessAt is { } ok ? Labels.Moment(ok, zone) : "（無）")}",
                _ => HealthText.Warnings([health], zone)[0],
            };
            Console.WriteLine($"{HealthText.Name(name)}：{state}");
        }

        Console.WriteLine($"寄送佇列：待寄 {view.OutboundQueued}、失敗 {view.OutboundFailed}、退信 {view.OutboundBounced}");
        Console.WriteLine($"收到之郵件：待處理 {view.MailsUnprocessed}、待人工處理（未比對／比對不明／可疑，尚未指定或註記）{view.MailsToSettle}");
        return 0;
    }
}
