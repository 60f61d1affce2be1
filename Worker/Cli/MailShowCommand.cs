using System.CommandLine;
using MailIntake.Storage;
using MailIntake.Worker.Application;
using MailIntake.Worker.Options;
using Microsoft.Extensions.DependencyInjection;

namespace MailIntake.Worker.Cli;

/// <summary><c>mail show MAIL-ID [--json] [--raw -o FILE]</c>: one received mail for staff, as text, JSON or its raw bytes.</summary>
public static class MailShowCommand
{
    public static Command Create()
    {
        var mailId = new Argument<long>("MAIL-ID");
        var json = new Option<bool>("--json");
        var raw = new Option<bool>("--raw") { Description = "寫出原始郵件（須配合 -o FILE）" };
        var output = new Option<FileInfo?>("-o") { Description = "--raw 寫入的檔案" };
        var command = new Command("show", "顯示一封收到的郵件：標頭、內文、附件與佐證檔位置、類別與原因") { mailId, json, raw, output };
        command.Validators.Add(result =>
        {
            if (result.GetValue(raw) != (result.GetValue(output) is not null))
            {
                result.AddError("--raw 與 -o FILE 須一併使用");
            }
        });
        command.SetAction((parseResult, cancellationToken) => CliApp.ReadStoreAsCaller(services =>
            ShowAsync(services, parseResult.GetValue(mailId), parseResult.GetValue(json), parseResult.GetValue(output), cancellationToken)));
        return command;
    }

    private static async Task<int> ShowAsync(IServiceProvider services, long mailId, bool json, FileInfo? rawOutput, CancellationToken cancellationToken)
    {
        var detail = services.GetRequiredService<MailDetailQuery>().Get(mailId);
        if (rawOutput is not null)
        {
            if (detail.Raw == RawMailState.Missing)
            {
                throw new CliException($"郵件 #{mailId} 之原始郵件檔不存在：{detail.RawFullPath}");
            }

            OutputFiles.Check(services.GetRequiredService<MailIntakeOptions>(), rawOutput, "輸出檔");
            try
            {
                // Written only if the bytes are those recorded at intake (SHA-256 and size): damaged bytes are not the mail received.
                await StoredRawMail.CopyCheckedAsync(detail.RawFullPath, detail.Mail.Raw, rawOutput.FullName, cancellationToken);
            }
            catch (Exception exception) when (exception is StoredRawMail.AlteredException or NotARegularFileException)
            {
                throw new CliException($"郵件 #{mailId} 之原始郵件檔已損壞（與收件時登錄之 SHA-256 或大小不符）：{detail.RawFullPath}，未寫出；請執行 store verify，並由備份還原此檔");
            }
            catch (Exception exception) when (FileErrorText.IsFileSystem(exception))
            {
                throw new CliException($"寫出原始郵件失敗：{FileErrorText.Describe(exception)}");
            }

            Console.WriteLine($"已將郵件 #{mailId} 之原始郵件寫入 {rawOutput.FullName}");
            return 0;
        }

        var zone = services.GetRequiredService<MailIntakeOptions>().Zone;
        if (json)
        {
            CliJson.Write(Console.Out, MailDetailJson.Of(detail, zone));
        }
        else
        {
            MailDetailText.Write(new TerminalWriter(Console.Out), detail, zone);
        }

        return 0;
    }
}
