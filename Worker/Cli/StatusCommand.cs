using System.CommandLine;
using System.Text.Json.Serialization;
using MailIntake.Storage;
using MailIntake.Worker.Application;
using MailIntake.Worker.Options;
using Microsoft.Extensions.DependencyInjection;

namespace MailIntake.Worker.Cli;

/// <summary><c>status</c>: the last successful intake and send (and OAuth2 token), failures and since when, queue sizes.</summary>
public static class StatusCommand
{
    public static void Add(RootCommand root)
    {
        var json = new Option<bool>("--json");
        var status = new Command("status", "健康狀態：最近一次成功收件與寄信、失敗起始時間、佇列數量") { json };
        status.SetAction((parseResult, _) => CliApp.ReadStore(services => Show(services, parseResult.GetValue(json))));
        root.Subcommands.Add(status);
    }

    private static int Show(IServiceProvider services, bool json)
    {
        var options = services.GetRequiredService<MailIntakeOptions>();
        // Readable but not writable (h11y N5): every intake pass fails and cannot even record that it did, so the health
        // rows would read 正常 for ever. As for a database this user may not read (F5): one line, exit 1; a monitor
        // reading --json still gets JSON, its disk not writable with that line (h11z F9).
        var notWritable = services.GetRequiredService<Database>().WhyNotWritable() as DatabaseNotWritableException;
        if (notWritable is not null && !json)
        {
            throw notWritable;
        }

        // The worker stopped on an older copy of its database (h19h H6): what the database says is that copy's, not the
        // truth (mail already sent shows queued). Named as `run` names it, exit 1; --json still gets JSON, with the stop.
        var stopped = WorkerStopMark.Find(options.DataDirectory);
        if (stopped is not null && !json)
        {
            throw stopped;
        }

        var zone = options.Zone;
        var view = services.GetRequiredService<HealthQuery>().Get();
        var queues = new
        {
            outboundQueued = view.OutboundQueued,
            outboundFailed = view.OutboundFailed,
            outboundBounced = view.OutboundBounced,
            mailsUnprocessed = view.MailsUnprocessed,
            mailsToSettle = view.MailsToSettle,
            mailsRetrying = view.MailsRetrying,
            mailsFailed = view.MailsFailed,
            mailsDamaged = view.MailsDamaged,
            mailsRawGone = view.Gone.RawMails,
            mailsEvidenceGone = view.Gone.EvidenceMails,
        };
        ComponentJson Component(string name)
        {
            var health = view.Component(name);
            return new ComponentJson(
                health is not null && health.FailingSince is null,
                CliValues.Instant(health?.LastSuccessAt, zone),
                CliValues.Instant(health?.FailingSince, zone),
                health?.Failures ?? 0,
                health?.LastError)
            {
                LastSuccessRecordedAhead = HealthText.RecordedAhead(health?.LastSuccessAt, view.At),
                FailingSinceRecordedAhead = HealthText.RecordedAhead(health?.FailingSince, view.At),
            };
        }

        var drops = view.IntakeDrops;
        var disk = DiskLine(services.GetRequiredService<Database>());
        var refused = RefusedLine(options.Mailbox);
        var reread = RereadPending(options.Mailbox, services.GetRequiredService<SweepMarkRepository>());
        var takenByCopy = RestoreReread.TakenByCopy(services.GetRequiredService<SweepMarkRepository>(), options);
        // Health rows say how the last passes went, not whether anything still runs them: a worker that died leaves
        // "ok" behind for ever. The flock on the DataDirectory says whether one runs now.
        var key = services.GetRequiredService<StaffActions.ActionKeyStore>().Problem() is { } unusable ? FailureText.Line(unusable) : null;
        var pid = DataDirectoryLock.HolderPid(options.DataDirectory);
        var running = pid is not null;

        if (json)
        {
            CliJson.Write(Console.Out, new
            {
                intake = Component(HealthRepository.Intake) with
                {
                    Drops = new DropsJson(drops.LastHour, drops.Last24Hours, drops.PeakPerHour, CliValues.Instant(drops.LastAt, zone), drops.LastError, drops.IsStorm),
                    Rescan = view.IntakeRescan is { } rescan ? new RescanJson(CliValues.Instant(rescan.At, zone), rescan.Reason) : null,
                },
                send = Component(HealthRepository.Send),
                token = view.UsesToken ? Component(HealthRepository.Token) : null,
                queues,
                mailbox = new { kind = options.Mailbox.Kind.ToString(), host = options.Mailbox.Host, folder = options.Mailbox.Folder },
                worker = new { running, pid },
                refusedDropFiles = refused,
                dropFolder = new
                {
                    heldOpen = view.DropFolder.HeldOpen.Select(file => new
                    {
                        path = file.Path,
                        unchangedSince = CliValues.Instant(file.Since, zone),
                        waitedMinutes = (int)Math.Max(0, (view.DropFolder.At - file.Since).TotalMinutes),
                    }),
                    notMoved = view.DropFolder.NotMoved.Select(file => new { path = file.Path, since = CliValues.Instant(file.Since, zone), reason = file.Detail }),
                    warnings = HealthText.DropFolder(view.DropFolder, zone),
                },
                rereadAfterRestore = reread,
                dropFolderTakenByCopy = takenByCopy,
                actionKey = new { ok = key is null, problem = key },
                disk = new { writable = !services.GetRequiredService<Database>().ReadOnly && notWritable is null, warning = disk },
                workerStopped = stopped is null ? null : new
                {
                    reason = "older-database-copy",
                    at = CliValues.Instant(stopped.At, zone),
                    database = stopped.Database,
                    mark = stopped.Mark,
                    message = FailureText.Line(stopped),
                },
            });
            return notWritable is null && stopped is null ? 0 : 1;
        }

        Console.WriteLine(running
            ? $"收件服務：執行中{(pid is { } id ? $"（PID {id}）" : "")}"
            : "收件服務：未執行（沒有收件服務持有此資料目錄；下列為最近一次執行時之紀錄）");
        foreach (var name in view.Shown)
        {
            var health = view.Component(name);
            var state = health switch
            {
                null => "尚無紀錄",
                { FailingSince: null } => $"正常，上次成功 {(health.LastSuccessAt is { } ok ? HealthText.Recorded(ok, zone, view.At) : "（無）")}",
                _ => HealthText.Warnings([health], zone, view.At)[0],
            };
            Console.WriteLine($"{HealthText.Name(name)}：{state}");
            if (name == HealthRepository.Intake && HealthText.Drops(drops, zone) is { } line)
            {
                Console.WriteLine(drops.IsStorm ? $"警告：{line}" : line);
            }

            if (name == HealthRepository.Intake && HealthText.Rescan(view.IntakeRescan, zone) is { } rescanned)
            {
                Console.WriteLine($"需注意：{rescanned}");
            }

            if (name == HealthRepository.Intake)
            {
                foreach (var waiting in HealthText.DropFolder(view.DropFolder, zone))
                {
                    Console.WriteLine($"需注意：{waiting}");
                }
            }
        }

        Console.WriteLine($"寄送佇列：待寄 {view.OutboundQueued}、失敗 {view.OutboundFailed}、退信 {view.OutboundBounced}");
        Console.WriteLine($"收到之郵件：待處理 {view.MailsUnprocessed}、待人工處理（未比對／比對不明／可疑，尚未指定或註記）{view.MailsToSettle}");
        foreach (var line in HealthText.MailWarnings(view))
        {
            Console.WriteLine($"需注意：{line}");
        }

        if (refused is not null)
        {
            Console.WriteLine($"需注意：{refused}");
        }

        if (takenByCopy is not null)
        {
            Console.WriteLine($"需注意：收件資料夾最近由同一資料庫之另一資料目錄 {takenByCopy} 收件（如由備份還原之副本），其收下之郵件尚未收入本資料目錄；請以收件服務之設定執行收件（run --once 或收件服務），讀取後此行即消失");
        }

        if (reread is not null)
        {
            Console.WriteLine($"需注意：還原後尚未重新讀取 {reread}：備份後收到、還原之資料庫未登錄之郵件尚未收入；請以收件服務之設定（此投遞資料夾）執行收件（run --once 或收件服務），讀取後此行即消失");
        }

        if (disk is not null)
        {
            Console.WriteLine($"警告：{disk}");
        }

        if (key is not null)
        {
            Console.WriteLine($"警告：{key}");
        }

        return 0;
    }

    /// <summary>
    /// Files the drop folder set aside unread (a link, FIFO, device or socket named <c>*.eml</c>, moved to <c>refused/</c>):
    /// a mail may sit behind one, and only a person can tell; null when there are none.
    /// </summary>
    private static string? RefusedLine(MailboxOptions mailbox)
    {
        if (mailbox.Kind != MailboxKind.Folder || string.IsNullOrEmpty(mailbox.DropFolder))
        {
            return null;
        }

        var refused = Path.Combine(Path.GetFullPath(mailbox.DropFolder), "refused");
        if (!Directory.Exists(refused))
        {
            return null;
        }

        var names = Directory.EnumerateFileSystemEntries(refused).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        return names.Count == 0 ? null
            : $"收件資料夾 {refused} 有 {names.Count} 個未讀取之檔案（連結、FIFO 或裝置，非一般檔案）：{string.Join("、", names.Take(5))}{(names.Count > 5 ? " 等" : "")}；請確認後移除";
    }

    /// <summary>
    /// The drop folder's <c>processed/</c> a restore left to be read again (its mark still in the database: no pass over
    /// the folder the store was fed from has run yet), or null.
    /// </summary>
    private static string? RereadPending(MailboxOptions mailbox, SweepMarkRepository marks) =>
        mailbox.Kind == MailboxKind.Folder && !string.IsNullOrEmpty(mailbox.DropFolder) && marks.Exists(StoreBackup.RereadDropFolderMark)
            ? Path.Combine(Path.GetFullPath(mailbox.DropFolder), "processed")
            : null;

    /// <summary>Less free than this on the DataDirectory's disk is worth a warning: one large mail could fill it.</summary>
    private const long LowSpaceBytes = 64L * 1024 * 1024;

    /// <summary>What keeps the DataDirectory's disk from taking mail (read-only, full) or soon will (little room), or null.</summary>
    private static string? DiskLine(Database database)
    {
        if (database.WhyNotWritable() is { } refused)
        {
            return FailureText.Line(refused);
        }

        return Directory.Exists(database.Folder) && Database.FreeBytes(database.Folder) is var free && free < LowSpaceBytes
            ? $"資料目錄 {database.Folder} 所在磁碟僅剩 {FileErrorText.Size(free)}，一封較大之郵件即可能無法收下；請清出空間"
            : null;
    }

    private sealed record ComponentJson(bool Ok, string? LastSuccessAt, string? FailingSince, int Failures, string? LastError)
    {
        /// <summary>
        /// <c>lastSuccessAt</c> lies after now: recorded by a clock that was ahead then (a bad NTP step); the time it
        /// really happened is unknown (h19h H2).
        /// </summary>
        public bool LastSuccessRecordedAhead { get; init; }

        /// <summary><c>failingSince</c> lies after now, as for <see cref="LastSuccessRecordedAhead"/>.</summary>
        public bool FailingSinceRecordedAhead { get; init; }

        /// <summary>Intake only: the server's connection drops of the last 24 hours; <c>warning</c> is a reconnect storm.</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public DropsJson? Drops { get; init; }

        /// <summary>Intake only: the mailbox read again from its first UID within the last week (the server's store was restored).</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public RescanJson? Rescan { get; init; }
    }

    private sealed record RescanJson(string? At, string Reason);

    private sealed record DropsJson(int LastHour, int Last24Hours, int PeakPerHour, string? LastAt, string? LastError, bool Warning);
}
