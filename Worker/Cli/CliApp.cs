using System.CommandLine;
using System.Net.Sockets;
using MailKit.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MailIntake.Worker.Application;
using MailIntake.Worker.Options;

namespace MailIntake.Worker.Cli;

/// <summary>
/// The <c>mailintake</c> command line of CONTRACT.md. Exit 0 on success, 1 on a handled error, 2 on bad arguments;
/// every error is one line on stderr, never a stack trace.
/// </summary>
public static class CliApp
{
    public static async Task<int> RunAsync(string[] args)
    {
        Console.OutputEncoding = System.Text.Encoding.UTF8;
        var parseResult = Root().Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            await Console.Error.WriteLineAsync(ParseErrorText.Line(parseResult));
            return 2;
        }

        try
        {
            // ProcessTerminationTimeout = null: System.CommandLine must not take SIGTERM/SIGINT. With its default it
            // swallows the signal, cancels a token the worker does not use and, 2 s later, ends the process with 143
            // while the host is still running: no graceful stop ever happened. Without it, the host's console
            // lifetime gets the signal and stops the worker cleanly (exit 0); short commands end at once as before.
            return await parseResult.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
        }
        catch (Exception exception) when (Describe(exception) is { } description)
        {
            await Console.Error.WriteLineAsync(description.Message);
            return description.ExitCode;
        }
    }

    /// <summary>Every command of CONTRACT.md.</summary>
    public static RootCommand Root()
    {
        var root = new RootCommand("MailIntake：限期改善單的寄送、回覆收件、佐證歸檔與追蹤（無參數時持續執行收件服務）");
        RunCommands.Add(root);
        OrgCommands.Add(root);
        NoticeCommands.Add(root);
        MailCommands.Add(root);
        DemoCommand.Add(root);
        JobCommands.Add(root);
        StatusCommand.Add(root);
        StoreCommands.Add(root);
        return root;
    }

    /// <summary>Runs a command with the application's services (settings validated, database migrated), turning errors into one line.</summary>
    /// <paramref name="readsOnly"/>: the command only reads the store (status, lists, show, export, verify); every other
    /// command — each that records, queues, sends or copies the store away — is refused while a worker's stop on an older
    /// copy of the database is unresolved (<see cref="WorkerStopMark"/>: h20h J1, a follow-up on that copy sent its whole
    /// outbox again, and a backup of it would stand beside the good ones).
    public static async Task<int> WithServices(
        bool verbose, Func<IServiceProvider, Task<int>> action, IReadOnlyDictionary<string, string?>? overrides = null, string? asOf = null, bool prepare = true,
        bool asOwner = true, bool existingStore = false, bool readsOnly = false)
    {
        try
        {
            using var host = AppHost.Build(verbose, overrides, asOf);
            if (!readsOnly)
            {
                WorkerStopMark.RefuseWhileStopped(host.Services.GetRequiredService<MailIntakeOptions>().DataDirectory);
            }

            if (asOwner)
            {
                // Before anything is written there: what this command writes must stay the service's (a run as root).
                DataDirectoryOwner.Act(host.Services.GetRequiredService<MailIntakeOptions>().DataDirectory);
            }

            if (!readsOnly)
            {
                // And before the worker has seen it: an older copy written over the database in the seconds before (h21h L2).
                WorkerStopMark.RefuseOlderCopyUnderWorker(host.Services);
            }

            if (existingStore)
            {
                // A command that only uses a store never makes an empty one where the store should be (h11x F2).
                AppHost.RequireStore(host.Services);
            }

            if (prepare)
            {
                AppHost.Prepare(host.Services);
            }

            return await action(host.Services);
        }
        catch (Exception exception) when (Describe(exception) is { } description)
        {
            await Console.Error.WriteLineAsync(description.Message);
            return description.ExitCode;
        }
    }

    public static Task<int> WithServices(Func<IServiceProvider, Task<int>> action) => WithServices(verbose: false, action);

    public static Task<int> WithServices(Func<IServiceProvider, int> action) =>
        WithServices(verbose: false, services => Task.FromResult(action(services)));

    /// <summary>
    /// A command that only uses an existing store (reads it, or changes what is recorded there): a DataDirectory that does
    /// not exist or holds no database is refused with one line, and nothing is created there.
    /// </summary>
    public static Task<int> WithStore(Func<IServiceProvider, Task<int>> action) => WithServices(verbose: false, action, existingStore: true);

    public static Task<int> WithStore(Func<IServiceProvider, int> action) =>
        WithServices(verbose: false, services => Task.FromResult(action(services)), existingStore: true);

    /// <summary>A command that only reads an existing store (<see cref="WithStore(Func{IServiceProvider, int})"/>, never refused by a worker's stop).</summary>
    public static Task<int> ReadStore(Func<IServiceProvider, int> action) =>
        WithServices(verbose: false, services => Task.FromResult(action(services)), existingStore: true, readsOnly: true);

    /// <summary>As <see cref="ReadStore"/>, keeping the caller's rights for the file it writes (<c>mail show --raw -o</c>, <c>notice export -o</c>).</summary>
    public static Task<int> ReadStoreAsCaller(Func<IServiceProvider, Task<int>> action) =>
        WithServices(verbose: false, action, asOwner: false, existingStore: true, readsOnly: true);

    public static Task<int> ReadStoreAsCaller(Func<IServiceProvider, int> action) => ReadStoreAsCaller(services => Task.FromResult(action(services)));

    /// <summary>As <see cref="WithStore(Func{IServiceProvider, Task{int}})"/>, keeping the caller's rights (see <see cref="WithServicesAsCaller(Func{IServiceProvider, Task{int}})"/>).</summary>
    public static Task<int> WithStoreAsCaller(Func<IServiceProvider, Task<int>> action) => WithServices(verbose: false, action, asOwner: false, existingStore: true);

    public static Task<int> WithStoreAsCaller(Func<IServiceProvider, int> action) =>
        WithServices(verbose: false, services => Task.FromResult(action(services)), asOwner: false, existingStore: true);

    /// <summary>
    /// A command that writes only a file the caller names outside the DataDirectory (<c>backup FILE</c>, <c>mail show
    /// --raw -o</c>, <c>notice export -o</c>): it keeps the caller's rights, so root can write where root chose.
    /// </summary>
    public static Task<int> WithServicesAsCaller(Func<IServiceProvider, Task<int>> action) => WithServices(verbose: false, action, asOwner: false);

    public static Task<int> WithServicesAsCaller(Func<IServiceProvider, int> action) =>
        WithServices(verbose: false, services => Task.FromResult(action(services)), asOwner: false);

    public static async Task<int> RunHostAsync()
    {
        try
        {
            using var host = AppHost.Build(verbose: true);
            DataDirectoryOwner.Act(host.Services.GetRequiredService<MailIntakeOptions>().DataDirectory);
            // Not a write on the older copy a stop left (h19h H6): not even the start's own.
            WorkerStopMark.RefuseWhileStopped(host.Services.GetRequiredService<MailIntakeOptions>().DataDirectory);
            AppHost.Prepare(host.Services);
            using var workerLock = AppHost.LockDataDirectory(host.Services);
            host.Services.GetRequiredService<DataDirectoryWatch>().Start();
            AppHost.ClearStaleWrites(host.Services);
            await host.RunAsync();
            return Environment.ExitCode;
        }
        catch (Exception exception) when (Describe(exception) is { } description)
        {
            await Console.Error.WriteLineAsync(description.Message);
            return description.ExitCode;
        }
    }

    private static (string Message, int ExitCode)? Describe(Exception exception) => exception switch
    {
        CliException cli => (cli.Message, cli.ExitCode),
        Application.NoticeRuleException refusal => (RuleErrorText.Line(refusal), RuleErrorText.ExitCode(refusal)),
        Storage.DataDirectoryInUseException inUse
            => ($"資料目錄 {inUse.DataDirectory} 已有另一個收件服務在執行（PID {inUse.HolderPid?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "不明"}），本次不啟動", 1),
        Storage.DatabaseLostException lost
            => ($"資料目錄 {lost.DataDirectory} 有原始郵件，但沒有資料庫 mailintake.db：資料庫可能遺失或被移走，本次不建立新資料庫；請由備份還原（restore）", 1),
        DataDirectoryOwnedByAnotherUserException owned
            => ($"資料目錄 {owned.DataDirectory} 屬於使用者 {owned.Owner}，本命令以 {owned.User} 執行，寫入之檔案收件服務將無法讀取：請以 {owned.Owner} 身分執行（sudo -u {owned.Owner} mailintake …），本次未執行", 1),
        Storage.StoreNotFoundException { FolderMissing: true } missing
            => ($"資料目錄 {missing.DataDirectory} 不存在（路徑錯誤，或其磁碟未掛載）：本命令只使用既有之資料，不建立新的資料目錄，本次未執行；第一次使用請先執行 orgs import 或 run", 1),
        Storage.StoreNotFoundException empty
            => ($"資料目錄 {empty.DataDirectory} 沒有資料庫 mailintake.db（路徑錯誤、磁碟未掛載，或資料庫遺失：請由備份還原）：本命令只使用既有之資料，不建立新的資料庫，本次未執行；第一次使用請先執行 orgs import 或 run", 1),
        Storage.RestoreUnfinishedException unfinished
            => ($"資料目錄 {unfinished.DataDirectory} 上次還原未完成（留有 {unfinished.Leftover}）：請再執行 restore FILE --to {unfinished.DataDirectory}（會先清除未完成之部分），本次未執行", 1),
        OptionsValidationException options => ($"設定錯誤：{string.Join("；", options.Failures)}", 1),
        InvalidOperationException { Message: var message } when message.Contains("configuration value", StringComparison.OrdinalIgnoreCase)
            => ($"設定錯誤：{OneLine(message)}", 1),
        OperationCanceledException => ("已中止", 1),
        _ => (FailureText.Line(exception), 1),
    };

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
