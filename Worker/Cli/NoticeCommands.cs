using System.CommandLine;
using MailIntake.Parsing;
using MailIntake.Storage;
using MailIntake.Worker.Application;
using MailIntake.Worker.Options;
using Microsoft.Extensions.DependencyInjection;

namespace MailIntake.Worker.Cli;

public static class NoticeCommands
{
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
        var again = new Option<bool>("--again") { Description = "同一資安事件已有未結案之限期改善單時，仍再次開立（例如原件退信）" };
        var command = new Command("issue", "開立限期改善單並寄送給機關") { org, hostIp, maliciousIp, from, to, deadline, itemsFile, noSend, again };
        command.SetAction((parseResult, _) =>
        {
            var request = new IssueNoticeCommand(
                parseResult.GetValue(org)!,
                parseResult.GetValue(hostIp)!.Trim(),
                parseResult.GetValue(maliciousIp)!.Split([',', '，', '、'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                CliValues.ParseDate(parseResult.GetValue(from), "--from"),
                CliValues.ParseDate(parseResult.GetValue(to), "--to"),
                CliValues.ParseDate(parseResult.GetValue(deadline), "--deadline"),
                ReadItems(parseResult.GetValue(itemsFile)),
                Send: !parseResult.GetValue(noSend),
                Again: parseResult.GetValue(again));
            return CliApp.WithServices(async services =>
            {
                var result = await services.GetRequiredService<IssueNotice>().ExecuteAsync(request, CancellationToken.None);
                var issued = result.Notice;
                Console.WriteLine($"已開立限期改善單，改善期限{Labels.Date(issued.Deadline)}{(request.Send ? "，郵件已排入寄送佇列" : "（未寄送）")}"
                    + (result.Skipped.Count == 0 ? string.Empty : $"；{result.SkippedText}"));
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

        byte[] bytes;
        try
        {
            bytes = NamedInputFile.Read(file.FullName, NamedInputFile.SmallTextLimit);
        }
        catch (NamedInputFileException refused)
        {
            throw new CliException($"--items-file {refused.Message}", 2);
        }

        var decoded = Utf8OrBig5.Decode(bytes);
        return (decoded.Text ?? throw new CliException($"--items-file {EncodingText.Invalid(decoded)}", 2))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToList();
    }

    private static Command ListCommand()
    {
        var status = new Option<string?>("--status") { Description = "只列出此狀態" };
        status.AcceptOnlyFromAmong([.. StoredCodes.All<NoticeStatus>()]);
        var json = new Option<bool>("--json");
        var command = new Command("list", "列出限期改善單") { status, json };
        command.SetAction((parseResult, _) => CliApp.ReadStore(services =>
        {
            var zone = services.GetRequiredService<MailIntakeOptions>().Zone;
            var notices = services.GetRequiredService<NoticeRepository>().List(
                parseResult.GetValue(status) is { } code ? StoredCodes.NoticeStatusOf(code) : null);
            if (parseResult.GetValue(json))
            {
                CliJson.Write(Console.Out, notices.Select(notice => NoticeView.Summary(notice, zone)));
                return 0;
            }

            foreach (var notice in notices)
            {
                Console.WriteLine($"{notice.Reference}\t{notice.OrgCode}\t{notice.OrgName}\t{Labels.Status(notice.Status)}\t改善期限{Labels.Date(notice.Deadline)}");
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
        command.SetAction((parseResult, _) => CliApp.ReadStore(services =>
        {
            var zone = services.GetRequiredService<MailIntakeOptions>().Zone;
            var detail = services.GetRequiredService<NoticeDetailQuery>().Get(parseResult.GetValue(reference)!);
            if (parseResult.GetValue(json))
            {
                CliJson.Write(Console.Out, NoticeView.Detail(detail, zone));
                return 0;
            }

            NoticeText.Write(Console.Out, detail, zone);
            return 0;
        }));
        return command;
    }
}
