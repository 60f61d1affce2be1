using System.CommandLine;
using MailIntake.Storage;
using MailIntake.Worker.Application;
using MailIntake.Worker.Options;
using Microsoft.Extensions.DependencyInjection;

namespace MailIntake.Worker.Cli;

public static class MailCommands
{
    public static void Add(RootCommand root)
    {
        var kind = new Option<string?>("--kind") { Description = string.Join("、", StoredCodes.All<MailKind>()) };
        kind.AcceptOnlyFromAmong([.. StoredCodes.All<MailKind>()]);
        var json = new Option<bool>("--json");
        var list = new Command("list", "列出收到之郵件") { kind, json };
        list.SetAction((parseResult, _) => CliApp.ReadStore(services =>
            List(services, parseResult.GetValue(kind) is { } code ? StoredCodes.MailKindOf(code) : null, parseResult.GetValue(json))));

        var mailId = new Argument<long>("MAIL-ID");
        var reference = new Argument<string>("REF");
        var assign = new Command("assign", "將未比對、比對不明或可疑之郵件指定給限期改善單") { mailId, reference };
        assign.SetAction((parseResult, _) => CliApp.WithStore(async services =>
        {
            var assigned = await services.GetRequiredService<AssignMail>().ExecuteAsync(
                new AssignMailCommand(parseResult.GetValue(mailId), parseResult.GetValue(reference)!), CancellationToken.None);
            Console.WriteLine(assigned.Text(services.GetRequiredService<MailIntakeOptions>().Zone));
            return 0;
        }));

        var dismissId = new Argument<long>("MAIL-ID");
        var by = new Option<string>("--by") { Description = "承辦人員", Required = true };
        var reason = new Option<string>("--reason") { Description = "不需處理之理由（垃圾郵件、誤寄等）", Required = true };
        var dismiss = new Command("dismiss", "註記郵件不需處理（垃圾郵件、誤寄），自每日摘要之待處理清單移除") { dismissId, by, reason };
        dismiss.SetAction((parseResult, _) => CliApp.WithStore(async services =>
        {
            var dismissed = await services.GetRequiredService<DismissMail>().ExecuteAsync(
                new DismissMailCommand(parseResult.GetValue(dismissId), parseResult.GetValue(by)!, parseResult.GetValue(reason)!), CancellationToken.None);
            Console.WriteLine($"郵件 #{dismissed.Mail.MailId} 已註記不需處理（{dismissed.Mail.Dismissal!.By}：{dismissed.Mail.Dismissal.Reason}）");
            return 0;
        }));

        root.Subcommands.Add(new Command("mail", "收到之郵件") { list, assign, dismiss, MailShowCommand.Create() });
    }

    private static int List(IServiceProvider services, MailKind? kind, bool json)
    {
        var zone = services.GetRequiredService<MailIntakeOptions>().Zone;
        var mails = services.GetRequiredService<MailRepository>().List(kind);
        if (json)
        {
            CliJson.Write(Console.Out, mails.Select(mail => new
            {
                mailId = mail.MailId,
                messageId = mail.MessageId,
                kind = StoredCodes.Text(mail.Kind),
                from = mail.From,
                subject = mail.Subject,
                receivedAt = CliValues.Instant(mail.ReceivedAt, zone),
                noticeRef = mail.NoticeRef,
                reason = mail.Reason,
                flags = mail.Flags,
                settled = mail.Settled,
            }));
            return 0;
        }

        foreach (var mail in mails)
        {
            var settled = mail.Dismissal is { } dismissal ? $"\t已註記不需處理（{dismissal.By}：{dismissal.Reason}）" : "";
            Console.WriteLine(TerminalWriter.Line($"#{mail.MailId}\t{Labels.Kind(mail.Kind)}\t{Labels.Moment(mail.ReceivedAt, zone)}\t{mail.From}\t{mail.Subject}\t{mail.NoticeRef}\t{mail.Reason}{settled}{(mail.Flags.Contains(MailFlag.MessageIdReused) ? "\t（Message-ID 與另一封不同之郵件重複）" : "")}"));
        }

        Console.WriteLine($"共 {mails.Count} 封");
        return 0;
    }
}
