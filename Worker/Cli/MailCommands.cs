using System.CommandLine;
using MailIntake.Storage;
using MailIntake.Worker.Notices;
using MailIntake.Worker.Options;
using Microsoft.Extensions.DependencyInjection;

namespace MailIntake.Worker.Cli;

public static class MailCommands
{
    private static readonly string[] Kinds =
        [MailKind.Reply, MailKind.AutoReply, MailKind.Bounce, MailKind.Unmatched, MailKind.Ambiguous, MailKind.Suspicious, MailKind.Received];

    public static void Add(RootCommand root)
    {
        var kind = new Option<string?>("--kind") { Description = "reply、auto-reply、bounce、unmatched、ambiguous、suspicious" };
        kind.AcceptOnlyFromAmong(Kinds);
        var json = new Option<bool>("--json");
        var list = new Command("list", "列出收到的郵件") { kind, json };
        list.SetAction((parseResult, _) => CliApp.WithServices(services => List(services, parseResult.GetValue(kind), parseResult.GetValue(json))));

        var mailId = new Argument<long>("MAIL-ID");
        var reference = new Argument<string>("REF");
        var assign = new Command("assign", "將未比對或比對不明的郵件指定給限期改善單") { mailId, reference };
        assign.SetAction((parseResult, _) => CliApp.WithServices(services =>
        {
            var id = parseResult.GetValue(mailId);
            var notice = services.GetRequiredService<MailAssignment>().Assign(id, parseResult.GetValue(reference)!);
            Console.WriteLine($"郵件 #{id} 已歸入限期改善單 {notice.Reference}（{notice.OrgCode} {notice.OrgName}）");
            return 0;
        }));

        root.Subcommands.Add(new Command("mail", "收到的郵件") { list, assign });
    }

    private static int List(IServiceProvider services, string? kind, bool json)
    {
        var zone = services.GetRequiredService<MailIntakeOptions>().Zone;
        var mails = services.GetRequiredService<MailRepository>().List(kind);
        if (json)
        {
            CliJson.Write(Console.Out, mails.Select(mail => new
            {
                mailId = mail.MailId,
                messageId = mail.MessageId,
                kind = mail.Kind,
                from = mail.From,
                subject = mail.Subject,
                receivedAt = CliValues.Instant(mail.ReceivedAt, zone),
                noticeRef = mail.NoticeRef,
                reason = mail.Reason,
            }));
            return 0;
        }

        foreach (var mail in mails)
        {
            Console.WriteLine($"#{mail.MailId}\t{mail.Kind}\t{CliValues.Instant(mail.ReceivedAt, zone)}\t{mail.From}\t{mail.Subject}\t{mail.NoticeRef}\t{mail.Reason}");
        }

        Console.WriteLine($"共 {mails.Count} 封");
        return 0;
    }
}
