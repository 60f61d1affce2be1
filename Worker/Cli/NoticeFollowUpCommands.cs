using System.CommandLine;
using MailIntake.Storage;
using MailIntake.Worker.Application;
using MailIntake.Worker.Documents;
using MailIntake.Worker.Options;
using MailIntake.Worker.Outbound;
using Microsoft.Extensions.DependencyInjection;

namespace MailIntake.Worker.Cli;

/// <summary>Staff's side of a notice: phone calls, the follow-up rounds, the printable export. Each only translates to a use case and back.</summary>
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
        var by = new Option<string>("--by") { Description = "致電人員", Required = true };
        var result = new Option<string>("--result") { Description = "reached（已聯繫確認，預設）|no-answer（無人接聽）|wrong-number（電話號碼錯誤）", DefaultValueFactory = _ => StoredCodes.Text(PhoneResult.Reached) };
        result.AcceptOnlyFromAmong([.. StoredCodes.All<PhoneResult>()]);
        var note = new Option<string?>("--note");
        var at = new Option<string?>("--at") { Description = "通話時間（ISO 8601，預設現在）" };
        var mail = new Option<long?>("--mail") { Description = "通話所談之回覆郵件編號（其後如又收到回覆則不記錄）" };
        var command = new Command("confirm-phone", "記錄致電確認最近一次電子郵件回覆之結果；僅 reached 完成電話確認") { reference, by, result, note, at, mail };
        command.SetAction((parseResult, _) => CliApp.WithStore(async services =>
        {
            var zone = services.GetRequiredService<MailIntakeOptions>().Zone;
            var when = parseResult.GetValue(at) is { } text ? CliValues.ParseDateTime(text, "--at", zone) : (DateTimeOffset?)null;
            var recorded = await services.GetRequiredService<ConfirmPhone>().ExecuteAsync(
                new ConfirmPhoneCommand(parseResult.GetValue(reference)!, parseResult.GetValue(by)!, StoredCodes.PhoneResultOf(parseResult.GetValue(result)!),
                    parseResult.GetValue(note), when, parseResult.GetValue(mail)),
                CancellationToken.None);
            Console.WriteLine(recorded switch
            {
                { ConfirmedBefore: { } before } =>
                    $"已記錄致電結果：{recorded.Notice.Reference} 郵件 #{recorded.MailId} 之回覆　{Labels.Phone(recorded.Result)}（{Labels.ConfirmedBefore(before, zone)}）",
                { Result: PhoneResult.Reached } => $"已記錄電話確認：{recorded.Notice.Reference} 郵件 #{recorded.MailId} 之回覆（{Labels.Status(recorded.Notice.Status)}）",
                _ => $"已記錄致電結果：{recorded.Notice.Reference} 郵件 #{recorded.MailId} 之回覆　{Labels.Phone(recorded.Result)}（第 {recorded.Attempts} 次致電，回覆仍待電話確認）",
            });
            return 0;
        }));
        return command;
    }

    private static Command FollowUpCommand()
    {
        var reference = new Argument<string>("REF");
        var result = new Option<string>("--result") { Description = "completed|extended|suspended|other", Required = true };
        result.AcceptOnlyFromAmong([.. StoredCodes.All<RoundResult>()]);
        var by = new Option<string>("--by") { Description = "追蹤人員", Required = true };
        var until = new Option<string?>("--until") { Description = "extended：新之改善期限" };
        var suspendFrom = new Option<string?>("--suspend-from") { Description = "suspended：中止交換服務日期" };
        var note = new Option<string?>("--note") { Description = "說明（other 必填）" };
        var at = new Option<string?>("--at") { Description = "追蹤時間（ISO 8601，預設現在）" };
        var round = new Option<int?>("--round") { Description = "第幾次追蹤（1–3）；指定時須為下一次，且可再記錄與前一次相同之內容" };
        var despite = new Option<bool>(RuleErrorText.DespiteWaitingMail)
        {
            Description = "suspended：尚有主旨載有本單編號之待處理郵件或待寄之展延通知時，仍記錄中止交換服務",
        };
        var command = new Command("follow-up", "記錄下一次追蹤結果（第 1、2、3 次）") { reference, result, by, until, suspendFrom, note, at, round, despite };
        command.SetAction((parseResult, _) =>
        {
            var untilDate = parseResult.GetValue(until) is { } u ? CliValues.ParseDate(u, "--until") : (DateOnly?)null;
            var suspendDate = parseResult.GetValue(suspendFrom) is { } s ? CliValues.ParseDate(s, "--suspend-from") : (DateOnly?)null;
            if (parseResult.GetValue(round) is { } roundNumber and (< 1 or > NoticeStateMachine.MaxRounds))
            {
                throw new CliException($"--round {roundNumber}：追蹤只有第 1 至 {NoticeStateMachine.MaxRounds} 次", 2);
            }

            if (parseResult.GetValue(despite) && parseResult.GetValue(result) != StoredCodes.Text(RoundResult.Suspended))
            {
                throw new CliException($"{RuleErrorText.DespiteWaitingMail} 只用於中止交換服務（suspended）", 2);
            }

            return CliApp.WithStore(async services =>
            {
                var zone = services.GetRequiredService<MailIntakeOptions>().Zone;
                var when = parseResult.GetValue(at) is { } text ? CliValues.ParseDateTime(text, "--at", zone) : (DateTimeOffset?)null;
                var recorded = await services.GetRequiredService<RecordFollowUp>().ExecuteAsync(
                    new RecordFollowUpCommand(parseResult.GetValue(reference)!, StoredCodes.RoundResultOf(parseResult.GetValue(result)!),
                        parseResult.GetValue(by)!, untilDate, suspendDate, parseResult.GetValue(note), when, parseResult.GetValue(round),
                        parseResult.GetValue(despite)),
                    CancellationToken.None);
                Console.WriteLine($"已記錄第 {recorded.Round} 次追蹤：{recorded.Notice.Reference}（{Labels.Status(recorded.Notice.Status, suspendDate)}）" +
                    (recorded.MailsQueued.Count == 0 ? "" : $"，已排入寄送：{string.Join("、", recorded.MailsQueued.Select(Labels.Outbound))}"));
                if (recorded.MailsQueued.Count > 0)
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
        command.SetAction((parseResult, _) => CliApp.ReadStoreAsCaller(services =>
        {
            var options = services.GetRequiredService<MailIntakeOptions>();
            var detail = services.GetRequiredService<NoticeDetailQuery>().Get(parseResult.GetValue(reference)!);
            var notice = detail.Notice;
            var export = NoticeExport.For(detail, options.Center, options.Zone);
            var file = parseResult.GetValue(output)!;
            OutputFiles.Check(options, file, "匯出檔");
            var content = parseResult.GetValue(format) == "html"
                ? System.Text.Encoding.UTF8.GetBytes(NoticeExportHtml.Create(export))
                : NoticeExportDocx.Create(export);
            try
            {
                if (file.Directory is { Exists: false } directory)
                {
                    directory.Create();
                }

                File.WriteAllBytes(file.FullName, content);
            }
            catch (Exception exception) when (FileErrorText.IsFileSystem(exception))
            {
                throw new CliException($"寫入匯出檔失敗：{FileErrorText.Describe(exception)}");
            }

            Console.WriteLine($"已匯出 {notice.Reference} 至 {file.FullName}");
            return 0;
        }));
        return command;
    }
}
