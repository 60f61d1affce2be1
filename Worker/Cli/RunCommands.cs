using System.CommandLine;
using System.Runtime.ExceptionServices;
using MailIntake.Worker.Intake;
using MailIntake.Worker.Outbound;
using Microsoft.Extensions.DependencyInjection;

namespace MailIntake.Worker.Cli;

public static class RunCommands
{
    public static void Add(RootCommand root)
    {
        var once = new Option<bool>("--once") { Description = "收件一次、寄出佇列中的郵件後結束" };
        var run = new Command("run", "執行收件服務（Ctrl+C 或 SIGTERM 停止）") { once };
        run.SetAction((parseResult, _) => parseResult.GetValue(once) ? RunOnceAsync() : CliApp.RunHostAsync());
        root.Subcommands.Add(run);
        root.SetAction((_, _) => CliApp.RunHostAsync());
    }

    private const int OnceRetries = 5;

    private static Task<int> RunOnceAsync() =>
        CliApp.WithServices(verbose: true, async services =>
        {
            using var workerLock = AppHost.LockDataDirectory(services);
            // As `run` does: which folder and which database file the path names now. A DataDirectory moved away (or
            // another folder in its place) or a database deleted or replaced during this run is an error for the
            // send phase too, never a queued mail's file "lost" (h14h G14, G1).
            var watch = services.GetRequiredService<DataDirectoryWatch>();
            watch.Start();
            AppHost.ClearStaleWrites(services);
            var runner = services.GetRequiredService<IntakeRunner>();
            await using var source = services.GetRequiredService<IMailboxSource>();
            // One pass, not a service: give up after a few reconnects (about half a minute) rather than wait for the server forever.
            // A failed intake (a full disk, the server away) still lets what is queued go out: notices and receipts do
            // not wait for one mail that cannot be stored. The failure is then the command's answer (exit 1).
            int added;
            ExceptionDispatchInfo? intakeFailure = null;
            try
            {
                added = await runner.RunPassAsync(CancellationToken.None, maxRetries: OnceRetries, retryAll: true);
            }
            catch (Exception exception)
            {
                intakeFailure = ExceptionDispatchInfo.Capture(exception);
                added = exception switch
                {
                    DropFilesSkippedException skipped => skipped.Added,
                    MailboxMailSkippedException left => left.Added,
                    _ => 0,
                };
            }

            if (watch.WhyNotInPlace() is { } gone)
            {
                if (gone is Storage.DatabaseReplacedException { OlderCopy: true } older)
                {
                    watch.RecordStop(older);
                }

                // Nothing at the path is this run's store: nothing is read or sent from it; the queue waits for the store.
                Console.WriteLine($"收件失敗{(added > 0 ? $"（新收 {added} 封）" : "")}；未寄出（待寄郵件留待資料放回後寄出）");
                throw gone;
            }

            var sent = await services.GetRequiredService<OutboxSender>().SendDueAsync(CancellationToken.None);
            var sentText = $"寄出 {sent.Sent} 封{sent.FailuresText}";
            if (intakeFailure is not null)
            {
                Console.WriteLine($"收件失敗{(added > 0 ? $"（新收 {added} 封）" : "")}；{sentText}");
                intakeFailure.Throw();
            }

            // A mail whose processing failed is kept and retried on its own: the run did its work, but it is not filed (h30h P7).
            var mails = services.GetRequiredService<Storage.MailRepository>();
            var failing = mails.CountRetrying() + mails.CountByKind(Storage.MailKind.Failed);
            Console.WriteLine($"收件完成：新收 {added} 封{(failing > 0 ? $"（另有 {failing} 封處理失敗，原始檔已保存，尚未歸檔，將自動重試；原因見 mail list）" : "")}；{sentText}");
            return 0;
        });
}
