using System.CommandLine;
using MailIntake.Parsing;
using MailIntake.Storage;
using MailIntake.Worker.Application;
using MailIntake.Worker.Intake;
using MailIntake.Worker.Options;
using MailIntake.Worker.Outbound;
using Microsoft.Extensions.DependencyInjection;

namespace MailIntake.Worker.Cli;

/// <summary>
/// A newcomer's tour on the embedded default (folder mailbox, SQLite), in its own folder <c>./demo-data</c>:
/// sample organisations, a notice, sample replies dropped into the folder mailbox, and what was filed.
/// </summary>
public static class DemoCommand
{
    public static void Add(RootCommand root)
    {
        var demo = new Command("demo", "新手導覽：以內建的資料夾信箱示範開單、收件、比對與佐證歸檔（資料放在 ./demo-data）");
        demo.SetAction((_, _) => RunAsync());
        root.Subcommands.Add(demo);
    }

    private static Task<int> RunAsync()
    {
        var demoData = Path.GetFullPath("demo-data");
        if (Directory.Exists(demoData))
        {
            // Only the demo's own folder is ever removed, so the tour starts clean each time.
            Directory.Delete(demoData, recursive: true);
        }

        var overrides = new Dictionary<string, string?>
        {
            ["MailIntake:DataDirectory"] = demoData,
            ["MailIntake:Mailbox:Kind"] = nameof(MailboxKind.Folder),
            ["MailIntake:Mailbox:DropFolder"] = Path.Combine(demoData, "inbox"),
            // The tour writes its sample mails whole before it reads them: no writer to wait for.
            ["MailIntake:Mailbox:DropQuietPeriod"] = "00:00:00",
            ["MailIntake:Smtp:Kind"] = nameof(SmtpKind.Folder),
            ["MailIntake:Smtp:PickupFolder"] = Path.Combine(demoData, "sent"),
        };
        return CliApp.WithServices(verbose: false, services => TourAsync(services, demoData), overrides);
    }

    private static async Task<int> TourAsync(IServiceProvider services, string demoData)
    {
        var samples = Path.Combine(AppContext.BaseDirectory, "samples");
        var zone = services.GetRequiredService<MailIntakeOptions>().Zone;

        Step(1, "匯入機關名冊（samples/organisations.csv，Big5 編碼）");
        var import = await services.GetRequiredService<ImportOrganisations>().ExecuteAsync(
            new ImportOrganisationsCommand(await File.ReadAllBytesAsync(Path.Combine(samples, "organisations.csv")), DryRun: false), CancellationToken.None);
        if (import.Rejected)
        {
            throw new CliException(OrgImportText.Rejection(import));
        }

        foreach (var organisation in import.Changes.Select(change => change.Organisation))
        {
            Console.WriteLine($"   {organisation.Code} {organisation.Name} {string.Join(";", organisation.Emails)}");
        }

        Step(2, "開立限期改善單給 XC12345678");
        var today = RequestChecks.Today(services.GetRequiredService<TimeProvider>(), zone);
        var request = new IssueNoticeCommand("XC12345678", "10.1.2.3", ["203.0.113.9"], today.AddDays(-30), today.AddDays(-16),
            today.AddDays(14), Items: null, Send: true);
        var notice = (await services.GetRequiredService<IssueNotice>().ExecuteAsync(request, CancellationToken.None)).Notice;
        Console.WriteLine($"   編號 {notice.Reference}，改善期限{Labels.Date(notice.Deadline)}");

        Step(3, "機關回信：把 samples/replies 的郵件放進資料夾信箱");
        var inbox = Path.Combine(demoData, "inbox");
        Directory.CreateDirectory(inbox);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(samples, "replies"), "*.eml").Order(StringComparer.Ordinal))
        {
            File.Copy(file, Path.Combine(inbox, Path.GetFileName(file)));
            Console.WriteLine($"   {Path.GetFileName(file)}");
        }

        Step(4, "收件一次，再寄出佇列中的郵件（mailintake run --once）");
        var added = await services.GetRequiredService<IntakeRunner>().RunPassAsync(CancellationToken.None);
        Console.WriteLine($"   新收 {added} 封");
        var sent = await services.GetRequiredService<OutboxSender>().SendDueAsync(CancellationToken.None);
        Console.WriteLine($"   寄出 {sent.Sent} 封（限期改善單與收件回執，寫成 .eml 放在 {Path.Combine(demoData, "sent")}）");

        Step(5, "收到的郵件（mailintake mail list）");
        foreach (var mail in services.GetRequiredService<MailRepository>().List(kind: null))
        {
            Console.WriteLine($"   #{mail.MailId} {Labels.Kind(mail.Kind)} {mail.From} 「{mail.Subject}」{(mail.NoticeRef is null ? "" : $" → {mail.NoticeRef}")}{(mail.Reason is null ? "" : $"（{mail.Reason}）")}");
        }

        Step(6, $"限期改善單的紀錄（mailintake notice show {notice.Reference}）");
        NoticeText.Write(Console.Out, services.GetRequiredService<NoticeDetailQuery>().Get(notice.Reference), zone);

        Console.WriteLine();
        Console.WriteLine($"資料（資料庫、原始郵件、佐證檔案）在 {demoData}；設定檔是 appsettings.json。");
        return 0;
    }

    private static void Step(int number, string title)
    {
        Console.WriteLine();
        Console.WriteLine($"【{number}】{title}");
    }
}
