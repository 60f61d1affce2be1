using System.CommandLine;
using MailIntake.Parsing;
using MailIntake.Storage;
using MailIntake.Worker.Notices;
using MailIntake.Worker.Options;
using Microsoft.Extensions.DependencyInjection;

namespace MailIntake.Worker.Cli;

public static class NoticeCommands
{
    private static readonly string[] Statuses =
        [NoticeStatus.Issued, NoticeStatus.Replied, NoticeStatus.Confirmed, NoticeStatus.Extended, NoticeStatus.Completed, NoticeStatus.Suspended];

    public static void Add(RootCommand root)
    {
        var notice = new Command("notice", "限期改善單");
        notice.Subcommands.Add(IssueCommand());
        notice.Subcommands.Add(ListCommand());
        notice.Subcommands.Add(ShowCommand());
        NoticeFollowUpCommands.Add(notice);
        root.Subcommands.Add(notice);
    }

    private static Command IssueCommand()
    {
        var org = new Option<string>("--org") { Description = "機關(構)代碼", Required = true };
        var hostIp = new Option<string>("--host-ip") { Description = "用戶電腦 IP", Required = true };
        var maliciousIp = new Option<string>("--malicious-ip") { Description = "惡意 IP，多個以逗號分隔", Required = true };
        var from = new Option<string>("--from") { Description = "資安事件期間起日", Required = true };
        var to = new Option<string>("--to") { Description = "資安事件期間迄日", Required = true };
        var deadline = new Option<string>("--deadline") { Description = "改善期限", Required = true };
        var itemsFile = new Option<FileInfo?>("--items-file") { Description = "改善事項（每行一項），預設為限期改善單的五項" };
        var noSend = new Option<bool>("--no-send") { Description = "只建立，不寄送" };
        var command = new Command("issue", "開立限期改善單並寄送給機關") { org, hostIp, maliciousIp, from, to, deadline, itemsFile, noSend };
        command.SetAction((parseResult, _) =>
        {
            var request = new IssueRequest(
                parseResult.GetValue(org)!,
                parseResult.GetValue(hostIp)!.Trim(),
                parseResult.GetValue(maliciousIp)!.Split([',', '，', '、'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                CliValues.ParseDate(parseResult.GetValue(from), "--from"),
                CliValues.ParseDate(parseResult.GetValue(to), "--to"),
                CliValues.ParseDate(parseResult.GetValue(deadline), "--deadline"),
                ReadItems(parseResult.GetValue(itemsFile)),
                Send: !parseResult.GetValue(noSend));
            return CliApp.WithServices(services =>
            {
                var issued = services.GetRequiredService<NoticeIssuer>().Issue(request);
                Console.WriteLine($"已開立限期改善單，改善期限 {RocDate.Format(issued.Deadline)}{(request.Send ? "，郵件已排入寄送佇列" : "（未寄送）")}");
                Console.WriteLine(issued.Reference);
                return 0;
            });
        });
        return command;
    }

    private static IReadOnlyList<string>? ReadItems(FileInfo? file)
    {
        if (file is null)
        {
            return null;
        }

        if (!file.Exists)
        {
            throw new CliException($"--items-file 找不到檔案：{file.FullName}", 2);
        }

        var decoded = Utf8OrBig5.Decode(File.ReadAllBytes(file.FullName));
        return (decoded.Text ?? throw new CliException($"--items-file 第 {decoded.InvalidLine} 行既不是有效的 UTF-8 也不是有效的 Big5", 2))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToList();
    }

    private static Command ListCommand()
    {
        var status = new Option<string?>("--status") { Description = "只列出此狀態" };
        status.AcceptOnlyFromAmong(Statuses);
        var json = new Option<bool>("--json");
        var command = new Command("list", "列出限期改善單") { status, json };
        command.SetAction((parseResult, _) => CliApp.WithServices(services =>
        {
            var zone = services.GetRequiredService<MailIntakeOptions>().Zone;
            var notices = services.GetRequiredService<NoticeRepository>().List(parseResult.GetValue(status));
            if (parseResult.GetValue(json))
            {
                CliJson.Write(Console.Out, notices.Select(notice => NoticeView.Summary(notice, zone)));
                return 0;
            }

            foreach (var notice in notices)
            {
                Console.WriteLine($"{notice.Reference}\t{notice.OrgCode}\t{notice.OrgName}\t{StatusLabel(notice.Status)}\t期限 {RocDate.FormatShort(notice.Deadline)}");
            }

            Console.WriteLine($"共 {notices.Count} 件");
            return 0;
        }));
        return command;
    }

    private static Command ShowCommand()
    {
        var reference = new Argument<string>("REF") { Description = "限期改善單編號" };
        var json = new Option<bool>("--json");
        var command = new Command("show", "顯示一件限期改善單與其所有紀錄") { reference, json };
        command.SetAction((parseResult, _) => CliApp.WithServices(services =>
        {
            var zone = services.GetRequiredService<MailIntakeOptions>().Zone;
            var notice = FindNotice(services, parseResult.GetValue(reference)!);
            var outbound = services.GetRequiredService<OutboundRepository>().ListForNotice(notice.Id);
            var replies = services.GetRequiredService<ReplyRepository>().ListForNotice(notice.Id);
            var timeline = services.GetRequiredService<TimelineRepository>().List(notice.Id);
            var followUps = services.GetRequiredService<FollowUpRepository>();
            if (parseResult.GetValue(json))
            {
                CliJson.Write(Console.Out, NoticeView.Detail(
                    notice, outbound, replies, followUps.ListConfirmations(notice.Id), followUps.ListFollowUps(notice.Id), timeline, zone));
                return 0;
            }

            NoticeText.Write(Console.Out, notice, outbound, replies, followUps.ListConfirmations(notice.Id), followUps.ListFollowUps(notice.Id), timeline, zone);
            return 0;
        }));
        return command;
    }

    public static Notice FindNotice(IServiceProvider services, string reference)
    {
        var normalised = NoticeReference.FindAll(reference).FirstOrDefault() ?? reference.Trim();
        return services.GetRequiredService<NoticeRepository>().Get(normalised)
            ?? throw new CliException($"找不到限期改善單 {reference}");
    }

    public static string StatusLabel(string status) => status switch
    {
        NoticeStatus.Issued => "已開立",
        NoticeStatus.Replied => "已回覆",
        NoticeStatus.Confirmed => "已電話確認",
        NoticeStatus.Extended => "展延中",
        NoticeStatus.Completed => "改善完成",
        NoticeStatus.Suspended => "已中止交換服務",
        _ => status,
    };
}
