using System.CommandLine;
using MailIntake.Parsing;
using MailIntake.Storage;
using MailIntake.Worker.Documents;
using MailIntake.Worker.Notices;
using MailIntake.Worker.Options;
using MailIntake.Worker.Outbound;
using Microsoft.Extensions.DependencyInjection;

namespace MailIntake.Worker.Cli;

/// <summary>Staff's side of a notice: the phone confirmation, the follow-up rounds, the printable export.</summary>
public static class NoticeFollowUpCommands
{
    public static void Add(Command notice)
    {
        notice.Subcommands.Add(ConfirmPhoneCommand());
        notice.Subcommands.Add(FollowUpCommand());
        notice.Subcommands.Add(ExportCommand());
    }

    private static Command ConfirmPhoneCommand()
    {
        var reference = new Argument<string>("REF");
        var by = new Option<string>("--by") { Description = "確認人員", Required = true };
        var note = new Option<string?>("--note");
        var at = new Option<string?>("--at") { Description = "通話時間（ISO 8601，預設現在）" };
        var command = new Command("confirm-phone", "記錄最近一次電子郵件回覆的電話確認") { reference, by, note, at };
        command.SetAction((parseResult, _) => CliApp.WithServices(services =>
        {
            var notice = NoticeCommands.FindNotice(services, parseResult.GetValue(reference)!);
            var zone = services.GetRequiredService<MailIntakeOptions>().Zone;
            var when = parseResult.GetValue(at) is { } text ? CliValues.ParseDateTime(text, "--at", zone) : (DateTimeOffset?)null;
            var confirmed = services.GetRequiredService<PhoneConfirmationRecorder>().Confirm(notice, parseResult.GetValue(by)!, parseResult.GetValue(note), when);
            Console.WriteLine($"已記錄電話確認：{confirmed.Reference}（{NoticeCommands.StatusLabel(confirmed.Status)}）");
            return 0;
        }));
        return command;
    }

    private static Command FollowUpCommand()
    {
        var reference = new Argument<string>("REF");
        var result = new Option<string>("--result") { Description = "completed|extended|suspended|other", Required = true };
        result.AcceptOnlyFromAmong(FollowUpResult.Completed, FollowUpResult.Extended, FollowUpResult.Suspended, FollowUpResult.Other);
        var by = new Option<string>("--by") { Description = "追蹤人員", Required = true };
        var until = new Option<string?>("--until") { Description = "extended：新的改善期限" };
        var suspendFrom = new Option<string?>("--suspend-from") { Description = "suspended：中止交換服務日期" };
        var note = new Option<string?>("--note") { Description = "other：說明" };
        var at = new Option<string?>("--at") { Description = "追蹤時間（ISO 8601，預設現在）" };
        var command = new Command("follow-up", "記錄下一次追蹤結果（第 1、2、3 次）") { reference, result, by, until, suspendFrom, note, at };
        command.SetAction((parseResult, _) =>
        {
            var untilDate = parseResult.GetValue(until) is { } u ? CliValues.ParseDate(u, "--until") : (DateOnly?)null;
            var suspendDate = parseResult.GetValue(suspendFrom) is { } s ? CliValues.ParseDate(s, "--suspend-from") : (DateOnly?)null;
            return CliApp.WithServices(async services =>
            {
                var notice = NoticeCommands.FindNotice(services, parseResult.GetValue(reference)!);
                var zone = services.GetRequiredService<MailIntakeOptions>().Zone;
                var when = parseResult.GetValue(at) is { } text ? CliValues.ParseDateTime(text, "--at", zone) : (DateTimeOffset?)null;
                var (updated, round) = services.GetRequiredService<FollowUpRecorder>().Record(
                    notice, new FollowUpRequest(parseResult.GetValue(result)!, parseResult.GetValue(by)!, untilDate, suspendDate, parseResult.GetValue(note), when));
                Console.WriteLine($"已記錄第 {round} 次追蹤：{updated.Reference}（{NoticeCommands.StatusLabel(updated.Status)}）");
                if (updated.Status == NoticeStatus.Suspended)
                {
                    Console.WriteLine(await services.GetRequiredService<Jobs.OutboxSweeper>().RunAsync(CancellationToken.None));
                }

                return 0;
            });
        });
        return command;
    }

    private static Command ExportCommand()
    {
        var reference = new Argument<string>("REF");
        var format = new Option<string>("--format") { Description = "html|docx", Required = true };
        format.AcceptOnlyFromAmong("html", "docx");
        var output = new Option<FileInfo>("-o", "--output") { Description = "輸出檔案", Required = true };
        var command = new Command("export", "匯出限期改善單與追蹤評估表（供列印歸檔）") { reference, format, output };
        command.SetAction((parseResult, _) => CliApp.WithServices(services =>
        {
            var notice = NoticeCommands.FindNotice(services, parseResult.GetValue(reference)!);
            var options = services.GetRequiredService<MailIntakeOptions>();
            var followUps = services.GetRequiredService<FollowUpRepository>();
            var export = NoticeExports.For(
                notice, NoticeMailer.NoticeFormFor(notice, options.Center, NoticeMailer.IssuedOn(notice, options.Zone)), followUps.ListFollowUps(notice.Id),
                services.GetRequiredService<ReplyRepository>().ListForNotice(notice.Id), followUps.ListConfirmations(notice.Id), options.Zone);
            var file = parseResult.GetValue(output)!;
            if (file.Directory is { Exists: false } directory)
            {
                directory.Create();
            }

            if (parseResult.GetValue(format) == "html")
            {
                File.WriteAllText(file.FullName, NoticeExportHtml.Create(export));
            }
            else
            {
                File.WriteAllBytes(file.FullName, NoticeExportDocx.Create(export));
            }

            Console.WriteLine($"已匯出 {notice.Reference} 至 {file.FullName}");
            return 0;
        }));
        return command;
    }
}
