using System.CommandLine;
using MailIntake.Storage;
using MailIntake.Worker.Application;
using MailIntake.Worker.Options;
using Microsoft.Extensions.DependencyInjection;

namespace MailIntake.Worker.Cli;

/// <summary><c>store verify [--json]</c>, <c>store repair</c>, <c>backup FILE</c>, <c>restore FILE --to DIR</c>.</summary>
public static class StoreCommands
{
    public static void Add(RootCommand root)
    {
        var json = new Option<bool>("--json");
        var verify = new Command("verify", "逐一重算原始郵件與佐證檔的雜湊並與資料庫比對，找出遺失、損壞、孤立與暫存殘檔，並檢查資料庫；有問題時結束碼為 1") { json };
        // verify checks, it never creates: no migration and no new database before it has looked (AppHost.Prepare inside).
        verify.SetAction((parseResult, _) => CliApp.WithServices(verbose: false, services => VerifyAsync(services, parseResult.GetValue(json)), prepare: false, readsOnly: true));
        var repair = new Command("repair", "由原始郵件重建可重建的檔案、重新登錄孤立的原始檔、清除暫存殘檔，並列出所做的事");
        repair.SetAction((_, _) => CliApp.WithStore(RepairAsync));
        root.Subcommands.Add(new Command("store", "資料目錄的檢查與修復") { verify, repair });

        var file = new Argument<FileInfo>("FILE");
        var backup = new Command("backup", "資料庫、原始郵件與佐證檔的一致快照（收件服務執行中亦可）") { file };
        backup.SetAction((parseResult, _) => CliApp.WithStoreAsCaller(services => BackupAsync(services, parseResult.GetValue(file)!)));
        root.Subcommands.Add(backup);

        var archive = new Argument<FileInfo>("FILE");
        var to = new Option<DirectoryInfo>("--to") { Required = true, Description = "空的資料目錄" };
        var restore = new Command("restore", "將備份還原到一個空的資料目錄") { archive, to };
        restore.SetAction((parseResult, _) => RestoreAsync(parseResult.GetValue(archive)!, parseResult.GetValue(to)!));
        root.Subcommands.Add(restore);
    }

    private static async Task<int> VerifyAsync(IServiceProvider services, bool json)
    {
        StoreReport report;
        try
        {
            report = DatabaseProblem(services) is { } unusable
                ? new StoreReport(0, 0, 0, [unusable])
                : await services.GetRequiredService<StoreVerifier>().VerifyAsync(CancellationToken.None);
        }
        catch (Microsoft.Data.Sqlite.SqliteException exception)
        {
            // A damaged table page: the rows that name the files cannot be read, so the files cannot be checked.
            report = new StoreReport(0, 0, 0, [Unusable(services, exception)]);
        }
        catch (DiskFullException exception)
        {
            report = new StoreReport(0, 0, 0, [DiskFull(services, exception)]);
        }
        catch (DatabaseUnreadableException exception)
        {
            report = new StoreReport(0, 0, 0, [Unreadable(exception)]);
        }
        catch (DatabaseNotWritableException exception)
        {
            report = new StoreReport(0, 0, 0, [Unwritable(exception)]);
        }
        catch (DatabaseSideFileForeignException exception)
        {
            report = new StoreReport(0, 0, 0, [new StoreProblem(StoreProblemKind.Foreign, Path.GetFileName(exception.File), null, FailureText.Line(exception))]);
        }

        if (WorkerStopMark.Find(services.GetRequiredService<Options.MailIntakeOptions>().DataDirectory) is { } stopped)
        {
            // The database is an older copy the worker stopped on (h19h H6): what repair would do on it is not the way back,
            // a restore is; named first, with what to do.
            report = report with { Problems = [new StoreProblem(StoreProblemKind.Database, WorkerStopMark.FileName, null, FailureText.Line(stopped)), .. report.Problems] };
        }

        if (services.GetRequiredService<StaffActions.ActionKeyStore>().ProblemIfThere() is { } key)
        {
            // Not the store's data, but a file of the store a failing disk can damage like any other (h14h G2).
            report = report with { Problems = [.. report.Problems, new StoreProblem(StoreProblemKind.ActionKey, StaffActions.ActionKeyStore.FileName, null, FailureText.Line(key))] };
        }

        if (json)
        {
            CliJson.Write(Console.Out, new
            {
                ok = report.Ok,
                checkedFiles = new { raw = report.RawChecked, evidence = report.EvidenceChecked, outbound = report.OutboundChecked },
                problems = report.Problems.Select(problem => new { kind = StoredCodes.Text(problem.Kind), path = problem.Path, mailId = problem.MailId, detail = problem.Detail }),
                inFlight = report.InFlight.Select(file => new { kind = StoredCodes.Text(file.Kind), path = file.Path }),
                acknowledged = report.Acknowledged.Select(problem => new { kind = StoredCodes.Text(problem.Kind), path = problem.Path, mailId = problem.MailId }),
            });
        }
        else
        {
            Console.WriteLine($"已檢查原始郵件 {report.RawChecked} 封、佐證檔 {report.EvidenceChecked} 個、待寄郵件 {report.OutboundChecked} 封");
            foreach (var problem in report.Problems)
            {
                var detail = problem.Kind is StoreProblemKind.Database or StoreProblemKind.Unreadable or StoreProblemKind.Unwritable or StoreProblemKind.ActionKey
                    || (problem.Kind == StoreProblemKind.Foreign && problem.Path.StartsWith("mailintake.db", StringComparison.Ordinal))
                    || IsLinkedStoreFolder(problem) ? $"\t{problem.Detail}" : "";
                Console.WriteLine($"{Labels.StoreProblem(problem.Kind)}\t{problem.Path}{(problem.MailId is { } id ? $"\t郵件 #{id}" : "")}{detail}");
            }

            foreach (var known in report.Acknowledged)
            {
                Console.WriteLine($"已知遺失（郵件 #{known.MailId} 已由工作人員註記不需處理，不列為問題）\t{Labels.StoreProblem(known.Kind)}\t{known.Path}");
            }

            if (report.InFlight.Count > 0)
            {
                Console.WriteLine($"收件服務執行中：{report.InFlight.Count} 個檔案正在寫入（{InFlightMinutes} 分鐘內寫入、尚未登錄），不列為問題");
            }

            Console.WriteLine(Summary(report.Problems));
        }

        return report.Ok ? 0 : 1;
    }

    /// <summary>
    /// The last line: how many problems repair handles, how many are files out of reach (permissions: nothing is lost, a
    /// restore would throw away everything since the backup) and how many need a backup or a person.
    /// </summary>
    private static string Summary(IReadOnlyList<StoreProblem> problems)
    {
        var repairable = problems.Count(StoreRepair.CanRepair);
        var unreadable = problems.Count(problem => problem.Kind == StoreProblemKind.Unreadable);
        var unwritable = problems.Count(problem => problem.Kind == StoreProblemKind.Unwritable);
        var key = problems.Count(problem => problem.Kind == StoreProblemKind.ActionKey);
        var linked = problems.Count(IsLinkedStoreFolder);
        var rest = problems.Count - repairable - unreadable - unwritable - key - linked;
        if (problems.Count == 0)
        {
            return "資料目錄完好";
        }

        if (repairable == problems.Count)
        {
            return $"發現 {problems.Count} 個問題，皆可由 store repair 處理（由原始郵件重建或清除）";
        }

        var parts = new List<string> { $"{repairable} 個可由 store repair 處理" };
        if (unreadable > 0)
        {
            parts.Add($"{unreadable} 個檔案無法讀取（檔案仍在，非遺失，不需還原：請依各行原因處理權限或磁碟，例如將資料目錄 chown 給收件服務之使用者）");
        }

        if (unwritable > 0)
        {
            parts.Add($"{unwritable} 個檔案或資料夾無法寫入（檔案仍在，非損壞，不需還原；無法收件、寄件或修復：請依該行將其 chown 給收件服務之使用者）");
        }

        if (key > 0)
        {
            parts.Add("動作連結金鑰檔無法使用（收件與資料照常；依該行由備份還原此檔，或刪除後重新啟動以產生新金鑰）");
        }

        if (linked > 0)
        {
            parts.Add(LinkedFoldersPart(linked));
        }

        if (rest > 0)
        {
            parts.Add($"{rest} 個無法自動修復（原始郵件請由備份還原，非本系統之檔案與資料庫問題請人工處理）");
        }

        return $"發現 {problems.Count} 個問題：{string.Join("，", parts)}";
    }

    /// <summary>A store folder (raw, evidence, outbound) that is a symbolic link: named foreign, never followed (h14h G4).</summary>
    private static bool IsLinkedStoreFolder(StoreProblem problem) =>
        problem.Kind == StoreProblemKind.Foreign && StoreFolderLinkedException.TopFolders.Contains(problem.Path);

    private static string LinkedFoldersPart(int linked) =>
        $"{linked} 個存放資料夾是符號連結（其中檔案未損壞、非遺失，不需由備份還原；請依該行處理）";

    /// <summary>
    /// A DataDirectory without its database (a typo in the path, a database lost) or with one SQLite cannot read is the
    /// problem verify reports — as JSON too — instead of creating an empty database or stopping on SQLite's error.
    /// </summary>
    private static StoreProblem? DatabaseProblem(IServiceProvider services)
    {
        var options = services.GetRequiredService<MailIntakeOptions>();
        var database = services.GetRequiredService<Database>();
        if (StoreBackup.UnfinishedRestore(options.DataDirectory) is { } leftover)
        {
            // Never 完好 beside a half-restored store, and nothing created in it.
            return new StoreProblem(StoreProblemKind.Database, Path.GetFileName(database.Path), null,
                $"資料目錄 {Path.GetFullPath(options.DataDirectory)} 上次還原未完成（留有 {leftover}）：請再執行 restore FILE --to {Path.GetFullPath(options.DataDirectory)}");
        }

        if (!File.Exists(database.Path))
        {
            return new StoreProblem(StoreProblemKind.Database, Path.GetFileName(database.Path), null,
                Directory.Exists(options.DataDirectory) ? $"資料目錄 {Path.GetFullPath(options.DataDirectory)} 沒有資料庫（路徑錯誤，或資料庫遺失：請由備份還原）" : $"資料目錄 {Path.GetFullPath(options.DataDirectory)} 不存在");
        }

        try
        {
            // A file shorter than its header is a database lost (h11y N9): never set up here as a new empty store.
            Database.RefuseEmpty(database.Path);
            AppHost.Prepare(services);
            // Readable but not writable (h11y N5): every pass would fail; verify never calls that 完好.
            return database.WhyNotWritable() is DatabaseNotWritableException notWritable ? Unwritable(notWritable) : null;
        }
        catch (DatabaseEmptyException exception)
        {
            return new StoreProblem(StoreProblemKind.Database, Path.GetFileName(database.Path), null, FailureText.Line(exception));
        }
        catch (Microsoft.Data.Sqlite.SqliteException exception)
        {
            return Unusable(services, exception);
        }
        catch (DiskFullException exception)
        {
            return DiskFull(services, exception);
        }
        catch (DatabaseUnreadableException exception)
        {
            return Unreadable(exception);
        }
        catch (DatabaseNotWritableException exception)
        {
            return Unwritable(exception);
        }
        catch (DatabaseSideFileForeignException exception)
        {
            return new StoreProblem(StoreProblemKind.Foreign, Path.GetFileName(exception.File), null, FailureText.Line(exception));
        }
    }

    /// <summary>A database file this user may not open: there and whole, a permission to fix (the summary says so), never a restore.</summary>
    private static StoreProblem Unreadable(DatabaseUnreadableException exception) =>
        new(StoreProblemKind.Unreadable, Path.GetFileName(exception.File), null, $"沒有存取權限：{exception.Detail}");

    /// <summary>A database file this user may read but not write: whole, a permission to fix, never a restore.</summary>
    private static StoreProblem Unwritable(DatabaseNotWritableException exception) =>
        new(StoreProblemKind.Unwritable, Path.GetFileName(exception.File), null, FailureText.Line(exception));

    private static StoreProblem Unusable(IServiceProvider services, Microsoft.Data.Sqlite.SqliteException exception)
    {
        var database = services.GetRequiredService<Database>();
        // A full disk is not a damaged database: a restore would throw away everything since the backup for nothing.
        return database.IsDiskFull(exception)
            ? DiskFull(services, new DiskFullException(database.Folder, exception))
            : new(StoreProblemKind.Database, Path.GetFileName(database.Path), null, $"{FailureText.Line(exception)}；請停止收件服務後由備份還原資料庫");
    }

    private static StoreProblem DiskFull(IServiceProvider services, DiskFullException exception) =>
        new(StoreProblemKind.Database, Path.GetFileName(services.GetRequiredService<Database>().Path), null,
            $"{FailureText.Line(exception)}；清出空間後再執行 store verify");

    private static async Task<int> RepairAsync(IServiceProvider services)
    {
        // Repair records and removes files: never beside a worker that writes them (a second one exits 1 naming it).
        using var workerLock = AppHost.LockDataDirectory(services);
        var result = await services.GetRequiredService<StoreRepair>().RepairAsync(CancellationToken.None);
        Console.WriteLine($"由原始郵件重建佐證檔 {result.EvidenceRebuilt} 個");
        Console.WriteLine($"重新登錄並處理孤立的原始郵件 {result.RawRecorded} 封");
        Console.WriteLine($"清除未完成寫入的暫存檔 {result.LeftoversCleared} 個");
        Console.WriteLine($"移除無紀錄的佐證檔 {result.OrphanedEvidenceRemoved} 個（可由原始郵件重建）");
        if (result.DuplicatesRemoved > 0)
        {
            Console.WriteLine($"移除已登錄郵件之重複收件原始檔 {result.DuplicatesRemoved} 個");
        }

        if (result.PendingProcessed > 0)
        {
            Console.WriteLine($"處理已登錄而尚未處理完成之郵件 {result.PendingProcessed} 封（先前之收件或修復中斷，或暫時錯誤待重試）");
        }

        if (result.MisnamedRawRemoved > 0)
        {
            Console.WriteLine($"移除檔名與內容雜湊不符之原始檔 {result.MisnamedRawRemoved} 個（內容已依雜湊另存並登錄）");
        }

        if (result.OutboundOrphansRemoved > 0)
        {
            Console.WriteLine($"移除無紀錄的寄件檔 {result.OutboundOrphansRemoved} 個（寫入後未完成登錄者）");
        }

        if (result.MailsRevived > 0)
        {
            Console.WriteLine($"原始檔已還原、恢復處理之郵件 {result.MailsRevived} 封");
        }

        if (result.MailsMarkedDamaged > 0)
        {
            Console.WriteLine($"原始檔遺失或損壞、標示為 damaged 的郵件 {result.MailsMarkedDamaged} 封");
        }

        foreach (var problem in result.Unrepaired)
        {
            var why = problem.Kind switch
            {
                StoreProblemKind.RawMissing or StoreProblemKind.RawDamaged => "原始郵件是一切的來源，無從重建，請由備份還原",
                StoreProblemKind.EvidenceMissing or StoreProblemKind.EvidenceDamaged => "載有此檔的原始郵件已遺失或不含此檔",
                StoreProblemKind.Foreign when IsLinkedStoreFolder(problem) => problem.Detail,
                StoreProblemKind.Foreign => "不是本系統寫入的檔案或是連結，未予移除或跟隨；請人工確認",
                StoreProblemKind.Unreadable => $"無法讀取（{problem.Detail}）；請檢查權限或磁碟",
                StoreProblemKind.OutboundDamaged => "待寄郵件之郵件檔與寫入時不符（截斷、遭更動或為連結），不會寄出；請由備份還原此檔，無備份時請承辦人另行通知受文機關",
                StoreProblemKind.OutboundMissing => "待寄郵件之郵件檔已遺失，無法由原始郵件重建；請由備份還原此檔，無備份時此封郵件無法寄出，請承辦人另行通知受文機關",
                StoreProblemKind.Database => $"資料庫檢查發現問題（{problem.Detail}）；請停止收件服務後由備份還原資料庫",
                _ => problem.Detail,
            };
            Console.WriteLine($"無法修復：{Labels.StoreProblem(problem.Kind)}\t{problem.Path}\t{why}");
        }

        return result.Unrepaired.Count == 0 ? 0 : 1;
    }

    private static async Task<int> BackupAsync(IServiceProvider services, FileInfo file)
    {
        var options = services.GetRequiredService<MailIntakeOptions>();
        OutputFiles.Check(options, file, "備份檔");
        BackupSummary summary;
        try
        {
            summary = await StoreBackup.CreateAsync(services.GetRequiredService<Database>(), options.DataDirectory, file.FullName, KeptBeside, CancellationToken.None);
        }
        catch (BackupBusyException busy)
        {
            await Console.Error.WriteLineAsync($"無法備份：另一個備份正在寫入 {busy.BackupFile}，請待其完成後再執行；本次未寫入任何檔案");
            return 1;
        }

        if (summary.LeftoversCleared > 0)
        {
            Console.WriteLine($"已清除先前中斷之備份留下之暫存檔 {summary.LeftoversCleared} 個");
        }

        if (summary.LeftoversKept.Count > 0)
        {
            Console.WriteLine($"先前中斷之備份留下之暫存檔 {summary.LeftoversKept.Count} 個屬於其他使用者，本使用者無法移除，請以該使用者移除：{string.Join("、", summary.LeftoversKept)}");
        }

        // Raw mail the database does not record is carried and said (restored, store repair records it); raw mail a running
        // worker or repair is still recording is said too, never passed over in silence.
        var unrecorded = summary.UnrecordedRawFiles > 0
            ? $"；另有資料庫未登錄之原始郵件 {summary.UnrecordedRawFiles} 封已一併備份（store verify 所稱「原始郵件未登錄」），還原後請執行 store repair 登錄"
            : "";
        var inFlight = summary.InFlightRawFiles > 0
            ? $"；收件服務或 store repair 執行中，正在登錄之原始郵件 {summary.InFlightRawFiles} 封（{InFlightMinutes} 分鐘內寫入、尚未登錄）未納入，下次備份時納入"
            : "";
        Console.WriteLine($"已備份至 {file.FullName}：郵件 {summary.Mails} 封（原始檔 {summary.RawFiles} 個）、佐證檔 {summary.EvidenceFiles} 個、寄件檔 {summary.OutboundFiles} 個、其他 {summary.OtherFiles} 個，共 {summary.Bytes:N0} 位元組{unrecorded}{inFlight}");
        if (summary.Clean)
        {
            return 0;
        }

        foreach (var problem in summary.Problems)
        {
            // As store verify says it: a file out of reach names the folder in the way and its owner.
            var detail = problem.Kind == StoreProblemKind.Unreadable || IsLinkedStoreFolder(problem) ? $"\t{problem.Detail}" : "";
            Console.WriteLine($"備份時發現：{Labels.StoreProblem(problem.Kind)}\t{problem.Path}{(problem.MailId is { } id ? $"\t郵件 #{id}" : "")}{detail}");
        }

        var unreadable = summary.Problems.Count(problem => problem.Kind == StoreProblemKind.Unreadable);
        var linked = summary.Problems.Count(IsLinkedStoreFolder);
        var parts = new List<string>();
        if (unreadable > 0)
        {
            parts.Add($"{unreadable} 個檔案無法讀取、未能備份（檔案仍在，不需還原：請依各行原因處理權限或磁碟，例如將資料目錄 chown 給收件服務之使用者，再備份一次）");
        }

        if (linked > 0)
        {
            parts.Add($"{LinkedFoldersPart(linked)}，其中之檔案未納入本備份：請依該行改正後再備份一次");
        }

        if (summary.Problems.Count > unreadable + linked)
        {
            parts.Add($"{summary.Problems.Count - unreadable - linked} 個其他問題（損壞之檔案依原狀複製，遺失者未能備份），請執行 store verify 與 store repair，原始郵件請由較早之備份還原");
        }

        await Console.Error.WriteLineAsync($"備份不完整：資料目錄有 {summary.Problems.Count} 個問題（如上）：{string.Join("；", parts)}");
        return 1;
    }

    private static readonly int InFlightMinutes = (int)StoreVerifier.InFlightWindow.TotalMinutes;

    /// <summary>Files beside the database that a backup keeps and a restore accepts.</summary>
    private static readonly string[] KeptBeside = [StaffActions.ActionKeyStore.FileName];

    /// <summary>
    /// What the restored copy lacks — raw mails and evidence files its backup did not hold (lost or damaged when it was
    /// taken) — by mail, so whoever restores knows at once which mails need an earlier backup (h11x F11: the line said only
    /// 「已還原 66 個檔案」, status nothing). Empty when nothing is lacking.
    /// </summary>
    private static string Lacking(string dataDirectory)
    {
        var gone = new StoreVerifier(new Database(Path.Combine(dataDirectory, "mailintake.db")), dataDirectory).FindGone(damagedToo: true);
        var parts = new List<string>();
        if (gone.RawMails.Count > 0)
        {
            parts.Add($"原始郵件 {gone.RawMails.Count} 封（{HealthText.Mails(gone.RawMails)}；請由較早之備份取得）");
        }

        if (gone.EvidenceMails.Count > 0)
        {
            parts.Add($"佐證檔（{HealthText.Mails(gone.EvidenceMails)}；原始郵件完整者可由 store repair 重建）");
        }

        return parts.Count == 0 ? "" : $"；此備份缺少{string.Join("、", parts)}";
    }

    private static async Task<int> RestoreAsync(FileInfo file, DirectoryInfo to)
    {
        try
        {
            // Opened first, as the caller: root's backup is root's alone (0600), and root acts as the store's owner next.
            await using var archive = File.OpenRead(file.FullName);
            var owner = DataDirectoryOwner.ActForRestore(to.FullName);
            var restored = await StoreBackup.RestoreAsync(archive, file.FullName, to.FullName, KeptBeside, CancellationToken.None, TimeProvider.System);
            var whose = owner switch
            {
                null => "",
                { Root: true } => $"；還原之檔案屬於 root（{to.FullName} 或其所在之資料夾屬於 root）：收件服務若以其他使用者執行，請先 chown -R 該使用者 {to.FullName}",
                { Owner: var name } => $"；還原之檔案屬於 {name}（目的資料夾或其所在之資料夾之擁有者）",
            };
            var unrecorded = restored.UnrecordedRawFiles > 0
                ? $"；其中有備份時資料庫未登錄之原始郵件 {restored.UnrecordedRawFiles} 封，請執行 store repair 登錄（store verify 會列為「原始郵件未登錄」）"
                  + (restored.UndatedRawFiles > 0 ? $"，其中 {restored.UndatedRawFiles} 封之收到時間無法由備份之清單讀取（清單遭修改或損壞），登錄時將以還原之時間為收到時間" : "")
                : "";
            var dropFolder = AppHost.ConfiguredDropFolder();
            var processed = dropFolder is null ? "投遞資料夾 processed/" : Path.Combine(dropFolder, "processed");
            Console.WriteLine($"已還原 {restored.Files} 個檔案至 {to.FullName}{whose}{unrecorded}{Lacking(to.FullName)}；請以 store verify 檢查（MailIntake__DataDirectory={to.FullName}）；收件信箱為投遞資料夾時，下次讀取 {processed} 之收件會重新讀取其中還原之資料庫未登錄之郵件（依原始郵件 SHA-256 比對，已登錄者不重複；收到時間係由檔案修改時間重建，即原資料庫收件時所記之時間），完成前 status 會顯示「還原後尚未重新讀取」；收件服務請以其設定執行（同一投遞資料夾）");
            return 0;
        }
        catch (RestoreRefusedException refused)
        {
            await Console.Error.WriteLineAsync($"無法還原：{RefusalText(refused, file.FullName)}；未寫入任何檔案");
            return 1;
        }
        catch (Exception exception) when (FileErrorText.IsFileSystem(exception))
        {
            await Console.Error.WriteLineAsync($"無法還原：{FileErrorText.Describe(exception)}；未留下任何檔案");
            return 1;
        }
    }

    private static string RefusalText(RestoreRefusedException refused, string backupFile) => refused.Refusal switch
    {
        RestoreRefusal.TargetIsFile => $"{refused.Subject} 是檔案，不是資料夾",
        RestoreRefusal.TargetNotEmpty => $"目的資料夾 {refused.Subject} 不是空的（或同時有另一個還原或指令寫入），請指定新的或空的資料夾",
        RestoreRefusal.NotABackup => $"{backupFile} 不是 MailIntake 的備份檔（不是完整的 zip 檔，或其中沒有資料庫）",
        RestoreRefusal.UnexpectedEntry => $"備份檔內有備份不會寫入的項目「{refused.Subject}」，此檔不是本系統產生或已遭更動",
        RestoreRefusal.EntryDamaged => $"備份檔內「{refused.Subject}」已損壞（CRC-32 或長度不符），請改用另一份備份",
        RestoreRefusal.DatabaseDamaged => "備份檔內之資料庫已損壞，請改用另一份備份",
        RestoreRefusal.EntryAltered => $"備份檔內「{refused.Subject}」之內容與其檔名（SHA-256）不符，此檔已遭更動，請改用另一份備份",
        RestoreRefusal.EntryNotRecorded => $"備份檔內有 {refused.Detail} 個檔案不是其資料庫記載之郵件或佐證檔（{refused.Subject}），此檔不是本系統產生或已遭更動，請改用另一份備份",
        RestoreRefusal.ForeignPath => $"備份檔內之資料庫記載之檔案「{refused.Subject}」不在本系統存放檔案之位置，此檔已遭更動，請改用另一份備份",
        RestoreRefusal.NewerVersion => $"此備份來自較新版本之 MailIntake（資料庫結構第 {refused.Subject} 版，本程式只認得至第 {refused.Detail} 版），請以該版本或更新之程式還原",
        _ => throw new ArgumentOutOfRangeException(nameof(refused), refused.Refusal, null),
    };
}
