using MailIntake.Storage;
using MailIntake.Worker.Intake;
using MailIntake.Worker.Jobs;
using MailIntake.Worker.Mail;
using MailIntake.Worker.Application;
using MailIntake.Worker.Outbound;
using MailIntake.Worker.Options;
using MailIntake.Worker.StaffActions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Quartz;

namespace MailIntake.Worker;

/// <summary>Builds the host every command runs in: configuration, validated options, storage, intake.</summary>
public static partial class AppHost
{
    public static IHost Build(
        bool verbose, IReadOnlyDictionary<string, string?>? overrides = null, string? asOf = null, TimeProvider? time = null)
    {
        if (Microsoft.Extensions.Hosting.WindowsServices.WindowsServiceHelpers.IsWindowsService())
        {
            // The service manager starts us in System32: relative paths (DataDirectory, DropFolder) mean the install folder.
            Directory.SetCurrentDirectory(AppContext.BaseDirectory);
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = AppContext.BaseDirectory,
            DisableDefaults = true,
        });
        AddConfiguration(builder.Configuration);
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        // A value that cannot become its type stops here, named in zh-TW, before anything binds it; every other rule
        // is MailIntakeOptionsValidator's, at start.
        if (SettingValues.Check(builder.Configuration) is { Count: > 0 } unreadable)
        {
            throw new OptionsValidationException(MailIntakeOptions.SectionName, typeof(MailIntakeOptions), unreadable);
        }

        builder.Logging.AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.TimestampFormat = "yyyy-MM-dd HH:mm:ss ";
        });
        // stdout belongs to command output (JSON, the notice reference); every log line goes to stderr.
        builder.Services.Configure<ConsoleLoggerOptions>(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        if (!verbose)
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Logging.AddFilter((_, level) => level >= LogLevel.Warning);
        }

        AddServices(builder.Services);
        AddJobs(builder.Services, builder.Configuration);
        // Each is a no-op unless the process was started by that service manager (sd_notify / the SCM).
        builder.Services.AddSystemd();
        builder.Services.AddWindowsService(options => options.ServiceName = "MailIntake");
        var clock = ConfiguredClock(builder.Configuration);
        builder.Services.AddSingleton(clock);
        if (asOf is not null)
        {
            // --as-of: the configured zone reads a time without offset (CONTRACT: Asia/Taipei).
            var zone = MailIntakeOptions.ZoneOrDefault(builder.Configuration["MailIntake:TimeZone"]);
            var start = Cli.CliValues.ParseDateTime(asOf, "--as-of", zone);
            Cli.CliValues.CheckAsOf(start, clock.GetUtcNow());
            builder.Services.AddSingleton<TimeProvider>(new AsOfTimeProvider(start, TimeProvider.System));
            builder.Services.AddSingleton(Jobs.JobRun.For(start, clock));
        }
        else
        {
            builder.Services.AddSingleton(provider => new Jobs.JobRun(Preview: false, provider.GetRequiredService<TimeProvider>()));
        }

        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        return builder.Build();
    }

    /// <summary>
    /// The real clock, or with <c>MailIntake:Clock:Offset</c> (rehearsals and tests) the real clock shifted by that much:
    /// every process started with the same offset sees one timeline that moves on in real time.
    /// </summary>
    private static TimeProvider ConfiguredClock(IConfiguration configuration)
    {
        var offset = ClockOffset(configuration);
        return offset == TimeSpan.Zero ? TimeProvider.System : new AsOfTimeProvider(TimeProvider.System.GetUtcNow() + offset, TimeProvider.System);
    }

    /// <summary>
    /// <c>MailIntake:Clock:Offset</c>, zero when unset. A time stamp another host wrote by the real clock (the mail
    /// server's INTERNALDATE) is moved by as much onto the program's timeline.
    /// </summary>
    private static TimeSpan ClockOffset(IConfiguration configuration)
    {
        var text = configuration["MailIntake:Clock:Offset"];
        if (string.IsNullOrWhiteSpace(text))
        {
            return TimeSpan.Zero;
        }

        return TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var offset)
            ? offset
            : throw new OptionsValidationException(MailIntakeOptions.SectionName, typeof(MailIntakeOptions),
                [$"Clock:Offset 須為時間長度（例如 -3.04:00:00）：{text}"]);
    }

    /// <summary>
    /// The drop folder (full path) the settings name when the mailbox is a folder, read without starting anything (restore
    /// names the folder whose <c>processed/</c> the next pass reads again); null for IMAP or settings that do not read.
    /// </summary>
    public static string? ConfiguredDropFolder()
    {
        using var configuration = new ConfigurationManager();
        AddConfiguration(configuration);
        if (SettingValues.Check(configuration).Count > 0)
        {
            return null; // the run itself refuses such settings, naming the key
        }

        var mailbox = configuration.GetSection($"{MailIntakeOptions.SectionName}:Mailbox").Get<MailboxOptions>() ?? new MailboxOptions();
        return mailbox.Kind == MailboxKind.Folder && !string.IsNullOrWhiteSpace(mailbox.DropFolder) ? Path.GetFullPath(mailbox.DropFolder) : null;
    }

    private static void AddConfiguration(ConfigurationManager configuration)
    {
        configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true);
        var local = Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json");
        if (!string.Equals(Path.GetFullPath(local), Path.Combine(AppContext.BaseDirectory, "appsettings.json"), StringComparison.Ordinal))
        {
            configuration.AddJsonFile(local, optional: true);
        }

        configuration.AddUserSecrets(typeof(AppHost).Assembly, optional: true);
        configuration.AddEnvironmentVariables();
    }

    private static void AddServices(IServiceCollection services)
    {
        services.AddOptions<MailIntakeOptions>()
            .BindConfiguration(MailIntakeOptions.SectionName)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<MailIntakeOptions>, MailIntakeOptionsValidator>();
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<MailIntakeOptions>>().Value);

        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<MailIntakeOptions>();
            return new Database(options.DatabasePath, Database.AccessFor(options.DatabasePath));
        });
        services.AddSingleton<OrganisationRepository>();
        services.AddSingleton<Application.ImportOrganisations>();
        services.AddSingleton<Application.MailDetailQuery>();
        services.AddSingleton<NoticeRepository>();
        services.AddSingleton<MailRepository>();
        services.AddSingleton<ReplyRepository>();
        services.AddSingleton<EvidenceRepository>();
        services.AddSingleton<CheckpointRepository>();
        services.AddSingleton<TimelineRepository>();
        services.AddSingleton(provider => new MatchContextRepository(provider.GetRequiredService<Database>())
        {
            OwnMessageIdDomain = MimeKit.MailboxAddress.TryParse(provider.GetRequiredService<MailIntakeOptions>().Smtp.From, out var own) ? own.Domain : null,
        });
        services.AddSingleton<HealthRepository>();
        services.AddSingleton<DropFolderWaitingRepository>();
        services.AddSingleton<ConnectionDropRepository>();
        services.AddSingleton<Application.ConnectionDropsQuery>();
        // One retry pipeline per failure domain, registered once by its key.
        services.AddKeyedSingleton(MailResilience.Imap, (provider, _) => MailResilience.BuildImap(
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<MailIntakeOptions>().Mailbox.PollInterval,
            provider.GetRequiredService<ILogger<ImapMailboxSource>>()));
        services.AddKeyedSingleton(MailResilience.Smtp, (provider, _) => MailResilience.BuildSmtp(
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<OutboxSender>>()));
        // One token source (one MSAL app, one token cache) for IMAP and SMTP; built only when one of them uses OAuth2.
        services.AddSingleton(provider => new OAuthTokenSource(
            OAuthTokenSource.BuildClient(provider.GetRequiredService<MailIntakeOptions>().OAuth2),
            provider.GetRequiredService<MailIntakeOptions>().OAuth2,
            provider.GetRequiredService<HealthRepository>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<OAuthTokenSource>>()));

        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<MailIntakeOptions>();
            return new IntakeProcessor(
                ContentStore.RawMail(options.DataDirectory),
                ContentStore.Evidence(options.DataDirectory),
                provider.GetRequiredService<MailRepository>(),
                provider.GetRequiredService<MatchContextRepository>(),
                provider.GetRequiredService<BounceLinker>(),
                provider.GetRequiredService<RecordReply>(),
                provider.GetRequiredService<OutboxWriter>(),
                provider.GetRequiredService<StaffActionHandler>(),
                provider.GetRequiredService<MailNotes>(),
                options.Mailbox,
                provider.GetRequiredService<TimeProvider>(),
                options.Zone,
                provider.GetRequiredService<ILogger<IntakeProcessor>>());
        });
        services.AddSingleton<IMailboxSource>(provider =>
        {
            var options = provider.GetRequiredService<MailIntakeOptions>();
            var time = provider.GetRequiredService<TimeProvider>();
            return options.Mailbox.Kind switch
            {
                MailboxKind.Imap => new ImapMailboxSource(
                    options.Mailbox,
                    provider.GetRequiredService<CheckpointRepository>(),
                    provider.GetRequiredService<MailRepository>(),
                    provider.GetRequiredService<ConnectionDropRepository>(),
                    time,
                    provider.GetRequiredService<ILogger<ImapMailboxSource>>(),
                    options.Mailbox.Auth == MailAuth.OAuth2 ? provider.GetRequiredService<OAuthTokenSource>() : null)
                {
                    ServerClockShift = ClockOffset(provider.GetRequiredService<IConfiguration>()),
                    DataDirectory = options.DataDirectory,
                },
                _ => new FolderMailboxSource(options.Mailbox, time, provider.GetRequiredService<ILogger<FolderMailboxSource>>(),
                    provider.GetRequiredService<MailRepository>(), provider.GetRequiredService<SweepMarkRepository>(),
                    provider.GetRequiredService<DropFolderWaitingRepository>())
                {
                    FolderClockShift = ClockOffset(provider.GetRequiredService<IConfiguration>()),
                    DataDirectory = options.DataDirectory,
                },
            };
        });
        services.AddSingleton(provider => new IntakeRunner(
            provider.GetRequiredService<IMailboxSource>(),
            provider.GetRequiredService<IntakeProcessor>(),
            provider.GetRequiredService<HealthRepository>(),
            // A folder mailbox has no connection to lose: its failures wait for the next poll.
            provider.GetRequiredService<MailIntakeOptions>().Mailbox.Kind == MailboxKind.Imap
                ? provider.GetRequiredKeyedService<Polly.ResiliencePipeline>(MailResilience.Imap)
                : Polly.ResiliencePipeline.Empty,
            provider.GetRequiredService<MailIntakeOptions>().Mailbox.PollInterval,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<IntakeRunner>>(),
            provider.GetRequiredService<RestoredMails>()));
        services.AddSingleton<DataDirectoryWatch>();
        services.AddSingleton<FirstIntakePass>();
        services.AddHostedService<IntakeService>();

        services.AddSingleton<OutboundRepository>();
        services.AddSingleton<OutboxWriter>();
        services.AddSingleton<NoticeMailer>();
        services.AddSingleton<ReceiptMailer>();
        services.AddSingleton<SuspensionBounceNote>();
        services.AddSingleton<BounceLinker>();
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<MailIntakeOptions>();
            var time = provider.GetRequiredService<TimeProvider>();
            Func<IMailTransport> transports = options.Smtp.Kind switch
            {
                SmtpKind.Smtp => () => new SmtpMailTransport(
                    options.Smtp,
                    provider.GetRequiredService<ILogger<SmtpMailTransport>>(),
                    options.Smtp.Auth == MailAuth.OAuth2 ? provider.GetRequiredService<OAuthTokenSource>() : null),
                _ => () => new FolderMailTransport(options.Smtp.PickupFolder),
            };
            return new OutboxSender(
                provider.GetRequiredService<OutboundRepository>(),
                provider.GetRequiredService<HealthRepository>(),
                new QueuedMailCheck(provider.GetRequiredService<Database>(), provider.GetRequiredService<ActionKeyStore>(), provider.GetRequiredService<WorkingCalendar>(),
                    provider.GetRequiredService<ExtensionMailer>(), provider.GetRequiredService<SuspensionMailer>(), options, time, provider.GetRequiredService<Jobs.JobRun>()),
                provider.GetRequiredService<OutboxWriter>(),
                transports,
                provider.GetRequiredKeyedService<Polly.ResiliencePipeline>(MailResilience.Smtp),
                options,
                time,
                provider.GetRequiredService<Jobs.JobRun>(),
                provider.GetRequiredService<ILogger<OutboxSender>>());
        });
        services.AddSingleton(provider => new StoreVerifier(
            provider.GetRequiredService<Database>(), provider.GetRequiredService<MailIntakeOptions>().DataDirectory));
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<MailIntakeOptions>();
            return new StoreRepair(
                provider.GetRequiredService<Database>(),
                provider.GetRequiredService<StoreVerifier>(),
                ContentStore.Evidence(options.DataDirectory),
                ContentStore.RawMail(options.DataDirectory),
                provider.GetRequiredService<IntakeProcessor>(),
                provider.GetRequiredService<MailRepository>(),
                provider.GetRequiredService<RestoredMails>(),
                provider.GetRequiredService<TimeProvider>(),
                options.DataDirectory);
        });
        services.AddSingleton(provider => new RestoredMails(
            provider.GetRequiredService<MailRepository>(),
            provider.GetRequiredService<IntakeProcessor>(),
            provider.GetRequiredService<MailIntakeOptions>().DataDirectory));
        services.AddSingleton<SuspensionMailer>();
        services.AddSingleton<ExtensionMailer>();
        AddApplication(services);
        AddStaffActions(services);
    }

    /// <summary>Staff acting by mail: signed links in staff mails, the handler intake hands a command to, its answers, the mail notes.</summary>
    private static void AddStaffActions(IServiceCollection services)
    {
        services.AddSingleton<ActionKeyStore>();
        services.AddSingleton<StaffActionRepository>();
        services.AddSingleton<ActionAnswers>();
        services.AddSingleton<StaffActionHandler>();
        services.AddSingleton<MailCandidates>();
        services.AddSingleton<MailNotes>();
    }

    /// <summary>The use cases and views every entry point calls: the CLI, the jobs, staff actions by mail.</summary>
    private static void AddApplication(IServiceCollection services)
    {
        services.AddSingleton<IssueNotice>();
        services.AddSingleton<RecordReply>();
        services.AddSingleton<ConfirmPhone>();
        services.AddSingleton<RecordFollowUp>();
        services.AddSingleton<AssignMail>();
        services.AddSingleton<DismissMail>();
        services.AddSingleton<NoticeDetailQuery>();
        services.AddSingleton<DigestQuery>();
        services.AddSingleton<HealthQuery>();
    }

    private static void AddJobs(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(provider =>
        {
            var file = provider.GetRequiredService<MailIntakeOptions>().Calendar.HolidaysFile;
            return string.IsNullOrWhiteSpace(file) ? WorkingCalendar.WeekdaysOnly : WorkingCalendar.Load(file);
        });
        services.AddSingleton<CenterClock>();
        services.AddSingleton<SweepMarkRepository>();
        services.AddSingleton<FollowUpRepository>();
        services.AddSingleton<OutboxSweeper>();
        services.AddSingleton<ISweeper>(provider => provider.GetRequiredService<OutboxSweeper>());
        services.AddSingleton<ISweeper, DeadlineReminders>();
        services.AddSingleton<ISweeper, OverdueSweep>();
        services.AddSingleton<ISweeper, PhonePrompts>();
        services.AddSingleton<ISweeper, DailyDigest>();

        // The schedule is read straight from configuration: Quartz is configured before the container exists.
        // Invalid values are reported by the options validation at start, so defaults stand in here.
        var scheduled = new MailIntakeOptions();
        configuration.GetSection(MailIntakeOptions.SectionName).Bind(scheduled);
        services.AddQuartz(quartz => JobSchedule.Configure(quartz, scheduled));
        services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
    }

    /// <summary>
    /// Takes the DataDirectory for this worker (<c>run</c>, <c>run --once</c>); throws <see cref="DataDirectoryInUseException"/>
    /// when another worker holds it. Held until disposed or the process ends.
    /// </summary>
    public static DataDirectoryLock LockDataDirectory(IServiceProvider services)
    {
        // The worker stopped on an older copy of the database (h19h H6): nothing is filed, sent or repaired on it until
        // the admin has restored.
        WorkerStopMark.RefuseWhileStopped(services.GetRequiredService<MailIntakeOptions>().DataDirectory);
        return services.GetRequiredService<Database>().WhyNotWritable() is { } refused
            ? throw refused // a read-only or full disk: nothing the worker or a repair does could be written
            : DataDirectoryLock.Acquire(services.GetRequiredService<MailIntakeOptions>().DataDirectory);
    }

    /// <summary>
    /// Removes the temporary files of raw mail and evidence writes that a run stopped mid-way left in <c>raw/tmp</c> and
    /// <c>evidence/tmp</c> (a kill, a crash loop on a large mail would otherwise fill the disk one mail-size per start).
    /// Only under the DataDirectory lock: its holder is the only process that writes there.
    /// </summary>
    public static void ClearStaleWrites(IServiceProvider services)
    {
        var directory = services.GetRequiredService<MailIntakeOptions>().DataDirectory;
        var (files, bytes) = ContentStore.RawMail(directory).ClearTemp();
        var (evidenceFiles, evidenceBytes) = ContentStore.Evidence(directory).ClearTemp();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("MailIntake.Worker");
        if (files + evidenceFiles > 0)
        {
            LogStaleWritesCleared(logger, files + evidenceFiles, bytes + evidenceBytes);
        }

        // A write-then-rename temporary elsewhere in the DataDirectory (the pickup folder's .….eml.….tmp) a killed sender left:
        // a command beside this run (jobs run outbox, notice issue) may be writing one now, so only one no process holds
        // open goes — else store verify cried wolf until a repair (h31h Q9).
        var cleared = 0;
        foreach (var leftover in services.GetRequiredService<StoreVerifier>().Leftovers()
                     .Where(problem => problem.Kind == StoreProblemKind.Leftover && IsMailTemp(Path.GetFileName(problem.Path))))
        {
            if (!HeldOpen(Path.Combine(directory, leftover.Path)) && OwnFiles.DeleteIfOwn(directory, leftover.Path, IsMailTemp))
            {
                cleared++;
            }
        }

        if (cleared > 0)
        {
            LogDurableTempsCleared(logger, cleared);
        }
    }

    /// <summary>A mail's write-then-rename temporary (<c>.NAME.eml.(32 hex).tmp</c>); never a backup's snapshot, which a backup beside may still read.</summary>
    private static bool IsMailTemp(string name) =>
        OwnFiles.IsDurableTempName(name) && name.EndsWith(".tmp", StringComparison.Ordinal) && name[..^37].EndsWith(".eml", StringComparison.Ordinal);

    /// <summary>Whether some process has <paramref name="path"/> open for writing (true, to be safe, when it cannot be told).</summary>
    private static bool HeldOpen(string path)
    {
        try
        {
            using var stream = UnixFiles.OpenRegular(path);
            return Intake.DropFolderFiles.OpenForWriting(stream);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or NotARegularFileException)
        {
            return true;
        }
    }

    [LoggerMessage(LogLevel.Information, "Removed {Files} temporary file(s), {Bytes} bytes, of writes a stopped run left in raw/tmp and evidence/tmp")]
    private static partial void LogStaleWritesCleared(ILogger logger, int files, long bytes);

    [LoggerMessage(LogLevel.Information, "Removed {Files} write-then-rename temporary file(s) a stopped run left in the DataDirectory (the pickup folder's)")]
    private static partial void LogDurableTempsCleared(ILogger logger, int files);

    /// <summary>
    /// A restore into the DataDirectory killed half-way (its <c>.restore-…</c> folder left there): nothing may create a
    /// fresh database beside the leftover — status and verify called it a whole empty store, and the restore run again
    /// was then refused as 「不是空的」; a worker would re-read the whole IMAP mailbox into it.
    /// </summary>
    public static void RefuseUnfinishedRestore(string dataDirectory)
    {
        if (StoreBackup.UnfinishedRestore(dataDirectory) is { } leftover)
        {
            throw new RestoreUnfinishedException(Path.GetFullPath(dataDirectory), leftover);
        }
    }

    /// <summary>
    /// For a command that only uses a store (reads it, or changes what is recorded in it): refuses, creating nothing, a
    /// DataDirectory that does not exist or holds no database — a typo, a disk that failed to mount, an empty mount point
    /// about to be restored onto. Only the commands that set a store up (<c>run</c>, <c>orgs import</c>, <c>orgs list</c>,
    /// <c>notice issue</c>, <c>jobs run</c>, <c>demo</c>) create one on first use.
    /// </summary>
    public static void RequireStore(IServiceProvider services)
    {
        var options = services.GetRequiredService<MailIntakeOptions>();
        RefuseUnfinishedRestore(options.DataDirectory);
        var database = services.GetRequiredService<Database>().Path;
        if (UnixFiles.WhyUnreachable(database) is not null)
        {
            return; // behind a folder this user may not enter: not missing; what comes next names the folder and its owner
        }

        if (!Directory.Exists(options.DataDirectory))
        {
            throw new StoreNotFoundException(Path.GetFullPath(options.DataDirectory), folderMissing: true);
        }

        if (!File.Exists(database))
        {
            RefuseLostDatabase(options.DataDirectory);
            throw new StoreNotFoundException(Path.GetFullPath(options.DataDirectory), folderMissing: false);
        }

        Database.RefuseEmpty(database);
    }

    /// <summary>Raw mail without its database is a database lost, not a first start: an empty one created there would bury it.</summary>
    private static void RefuseLostDatabase(string dataDirectory)
    {
        var raw = Path.Combine(dataDirectory, "raw");
        if (Directory.Exists(raw) && Directory.EnumerateFiles(raw, "*.eml", SearchOption.AllDirectories).Any())
        {
            throw new DatabaseLostException(Path.GetFullPath(dataDirectory));
        }
    }

    /// <summary>Validates the settings (one line naming the key on failure) and applies the database migrations.</summary>
    public static void Prepare(IServiceProvider services)
    {
        var options = services.GetRequiredService<MailIntakeOptions>();
        RefuseUnfinishedRestore(options.DataDirectory);
        // A database file shorter than its header (0 bytes: a failing disk, an interrupted copy) is a database lost:
        // SQLite would write a new empty store into it, burying the loss and bypassing the raw-mail guard (h11y N9).
        // Refused before anything is touched there.
        Database.RefuseEmpty(options.DatabasePath);
        PrivateFiles.RestrictFolder(options.DataDirectory);

        var database = services.GetRequiredService<Database>();
        if (!File.Exists(database.Path))
        {
            RefuseLostDatabase(options.DataDirectory);
        }

        if (database.ReadOnly)
        {
            // A read-only file system (a disk error), a full disk, or a database file this user may only read: nothing
            // can be migrated or generated; what only reads goes on, and whatever writes is refused naming why
            // (Database.WhyNotWritable).
            return;
        }

        database.Migrate(services.GetRequiredService<TimeProvider>().GetUtcNow());
        // The action-link key exists from the first start (generated into the DataDirectory unless configured). A damaged
        // one is not read here: only staff links need it, the rest of the store goes on (h14h G2).
        services.GetRequiredService<ActionKeyStore>().EnsureCreated();
    }
}
