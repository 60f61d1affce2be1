using System.CommandLine;
using MailIntake.Storage;
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
        var components = services.GetRequiredService<HealthRepository>().List();
        var outbound = services.GetRequiredService<OutboundRepository>();
        var mails = services.GetRequiredService<MailRepository>();
        var queues = new
        {
            outboundQueued = outbound.CountByStatus(OutboundStatus.Queued),
            outboundFailed = outbound.CountByStatus(OutboundStatus.Failed),
            outboundBounced = outbound.CountByStatus(OutboundStatus.Bounced),
            mailsUnprocessed = mails.CountByKind(MailKind.Received),
            mailsToSettle = mails.CountByKind(MailKind.Ambiguous, MailKind.Suspicious, MailKind.Unmatched),
        };
        object Component(string name)
        {
            var health = components.SingleOrDefault(candidate => candidate.Component == name);
            return new
            {
                ok = health is not null && health.FailingSince is null,
                lastSuccessAt = CliValues.Instant(health?.LastSuccessAt, zone),
                failingSince = CliValues.Instant(health?.FailingSince, zone),
                failures = health?.Failures ?? 0,
                lastError = health?.LastError,
            };
        }

        // Only where OAuth2 is (or was) in use: a password setup has no token to be healthy or not.
        bool UsesToken() => options.UsesOAuth2 || components.Any(health => health.Component == HealthRepository.Token);

        if (json)
        {
            CliJson.Write(Console.Out, new
            {
                intake = Component(HealthRepository.Intake),
                send = Component(HealthRepository.Send),
                token = UsesToken() ? Component(HealthRepository.Token) : null,
                queues,
                mailbox = new { kind = options.Mailbox.Kind.ToString(), host = options.Mailbox.Host, folder = options.Mailbox.Folder },
            });
            return 0;
        }

        foreach (var name in UsesToken()
                     ? new[] { HealthRepository.Intake, HealthRepository.Send, HealthRepository.Token }
                     : [HealthRepository.Intake, HealthRepository.Send])
        {
            var health = components.SingleOrDefault(candidate => candidate.Component == name);
            var state = health switch
            {
                null => "尚無紀錄",
                { FailingSince: null } => $"正常，上次成功 {CliValues.Instant(health.LastSuccessAt, zone)}",
                _ => HealthText.Warnings([health], zone)[0],
            };
            Console.WriteLine($"{HealthText.Name(name)}：{state}");
        }

        Console.WriteLine($"寄送佇列：待寄 {queues.outboundQueued}、失敗 {queues.outboundFailed}、退信 {queues.outboundBounced}");
        Console.WriteLine($"收到的郵件：待處理 {queues.mailsUnprocessed}、待人工處理（未比對／不明／可疑）{queues.mailsToSettle}");
        return 0;
    }
}
