using System.Text;
using MailIntake.Storage;
using MailIntake.Worker.Intake;
using MailIntake.Worker.Application;
using MailIntake.Worker.Outbound;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace MailIntake.Worker.Tests;

/// <summary>
/// The worker's real services on a real SQLite file in a temporary folder, with a FakeTimeProvider for the clock
/// and the folder transports (outgoing mail becomes .eml files we can read back).
/// </summary>
public sealed class WorkerHarness : IDisposable
{
    public static readonly TimeZoneInfo Taipei = TimeZoneInfo.FindSystemTimeZoneById("Asia/Taipei");

    private readonly IHost _host;

    public WorkerHarness(DateTimeOffset start, IReadOnlyDictionary<string, string?>? settings = null)
    {
        Folder = Path.Combine(Path.GetTempPath(), "mailintake-worker-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        Time = new FakeTimeProvider(start);
        var overrides = new Dictionary<string, string?>
        {
            ["MailIntake:DataDirectory"] = Path.Combine(Folder, "data"),
            ["MailIntake:Mailbox:Kind"] = "Folder",
            ["MailIntake:Mailbox:DropFolder"] = Path.Combine(Folder, "inbox"),
            // Files a test drops are whole; waiting for a writer would wait on the fake clock.
            ["MailIntake:Mailbox:DropQuietPeriod"] = "00:00:00",
            ["MailIntake:Smtp:Kind"] = "Folder",
            ["MailIntake:Smtp:PickupFolder"] = Path.Combine(Folder, "sent"),
            ["MailIntake:Smtp:From"] = "center@intake.test",
            ["MailIntake:Center:Phone"] = "06-2991111#1234",
            ["MailIntake:Staff:DigestRecipients:0"] = "staff@intake.test",
            ["MailIntake:Archives:ReportRecipients:0"] = "archives@intake.test",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            overrides[key] = value;
        }

        _host = AppHost.Build(verbose: false, overrides, time: Time);
        AppHost.Prepare(_host.Services);
    }

    public string Folder { get; }

    public FakeTimeProvider Time { get; }

    public IServiceProvider Services => _host.Services;

    public T Get<T>() where T : notnull => _host.Services.GetRequiredService<T>();

    /// <summary>Sets the clock to a Taipei local time.</summary>
    public void SetLocal(int year, int month, int day, int hour, int minute = 0) =>
        Time.SetUtcNow(new DateTimeOffset(year, month, day, hour, minute, 0, TimeSpan.FromHours(8)));

    public Notice IssueNotice(DateOnly deadline, string orgCode = "XC12345678", bool send = false)
    {
        if (Get<OrganisationRepository>().Find(orgCode) is null)
        {
            Get<OrganisationRepository>().Upsert([new Organisation(orgCode, "台南市測試公會", ["org1@intake.test"], "06-1234567", "李大同")], Time.GetUtcNow());
        }

        // Scenarios often issue several notices for this one incident; the guard against a command run twice has its own tests.
        var command = new IssueNoticeCommand(orgCode, "10.1.2.3", ["203.0.113.9"], new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 15), deadline, null, send, Again: true);
        if (deadline > RequestChecks.Today(Time, Taipei))
        {
            return Get<MailIntake.Worker.Application.IssueNotice>().ExecuteAsync(command, CancellationToken.None).GetAwaiter().GetResult().Notice;
        }

        // A notice issued in the past whose deadline has passed: written as the use case would have written it then.
        using var session = Get<Database>().Begin();
        var notice = NoticeRepository.Create(session, new NewNotice(orgCode, command.HostIp, command.MaliciousIps, command.IncidentFrom, command.IncidentTo, deadline,
            MailIntake.Worker.Application.IssueNotice.DefaultItems(command.MaliciousIps, command.IncidentFrom, command.IncidentTo)), 115, Time.GetUtcNow());
        if (send)
        {
            Get<NoticeMailer>().QueueNotice(session, notice, Get<OrganisationRepository>().Find(orgCode)!);
        }

        session.Commit();
        return notice;
    }

    public T Run<T>(Task<T> task) => task.GetAwaiter().GetResult();

    /// <summary>Issues a notice with its mail and delivers it (to the pickup folder) at the clock's moment.</summary>
    public Notice IssueSentNotice(DateOnly deadline, string orgCode = "XC12345678")
    {
        var notice = IssueNotice(deadline, orgCode, send: true);
        Deliver();
        return notice;
    }

    /// <summary>Sends everything queued and due, as the outbox job does.</summary>
    public OutboxResult Deliver() => Run(Get<OutboxSender>().SendDueAsync(CancellationToken.None));

    public FollowUpRecorded FollowUp(Notice notice, RoundResult result, DateOnly? until = null, DateOnly? suspendFrom = null, string? note = null, string by = "王承辦") =>
        Run(Get<RecordFollowUp>().ExecuteAsync(new RecordFollowUpCommand(notice.Reference, result, by, until, suspendFrom, note, null), CancellationToken.None));

    public PhoneCallRecorded Call(Notice notice, PhoneResult result = PhoneResult.Reached, string by = "王承辦", string? note = null) =>
        Run(Get<ConfirmPhone>().ExecuteAsync(new ConfirmPhoneCommand(notice.Reference, by, result, note, null), CancellationToken.None));

    /// <summary>Files a reply from the organisation through the real intake processor.</summary>
    /// <remarks>
    /// <paramref name="arrived"/>: when the mail reached the mailbox, kept as its exact arrival (a server's stamp); now when
    /// not given. <paramref name="carried"/>: a time it carried that intake could not take (a restore's re-read).
    /// </remarks>
    public async Task ReceiveReplyAsync(
        string subject, string from = "org1@intake.test", string body = "填寫人：李大同 / 06-2345678 / lee@org1.example.tw\n本用戶已於115年12月01日完成以下改善事項。",
        DateTimeOffset? arrived = null, DateTimeOffset? carried = null)
    {
        var message = new MimeMessage { Subject = subject, MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("org1.example.tw") };
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse("center@intake.test"));
        message.Body = new TextPart("plain") { Text = body };
        using var stream = new MemoryStream();
        await message.WriteToAsync(stream);
        stream.Position = 0;
        await Get<IntakeProcessor>().IngestAsync(stream, "test", checkpoint: null, CancellationToken.None, receivedAt: arrived, exactArrival: arrived is not null,
            carriedArrival: carried);
    }

    /// <summary>
    /// Receives a mail whose filing fails <paramref name="attempts"/> times (the outbox folder is a file: no receipt can be
    /// queued, a passing error), then heals the folder without another intake pass: the mail still waits.
    /// </summary>
    public async Task FailingToFileAsync(int attempts, Func<Task> receive)
    {
        var outbound = Path.Combine(Folder, "data", "outbound");
        var queued = Directory.Exists(outbound) ? Directory.GetFiles(outbound, "*", SearchOption.AllDirectories).Select(file => (file, File.ReadAllBytes(file))).ToList() : [];
        if (Directory.Exists(outbound))
        {
            Directory.Delete(outbound, recursive: true);
        }

        await File.WriteAllTextAsync(outbound, "a file where the outbox folder belongs");
        await receive();
        var mails = Get<MailRepository>();
        var mailId = mails.List(null).Max(mail => mail.MailId);
        for (var attempt = 1; attempt < attempts; attempt++)
        {
            await Get<IntakeProcessor>().ProcessPendingAsync(CancellationToken.None, retryAll: true);
        }

        Assert.Equal(attempts >= IntakeRetry.FailedAfter ? MailKind.Failed : MailKind.Received, mails.Get(mailId)!.Kind);
        File.Delete(outbound);
        foreach (var (file, bytes) in queued)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllBytesAsync(file, bytes);
        }
    }

    public IReadOnlyList<OutboundMail> Outbound(OutboundKind kind) =>
        Get<OutboundRepository>().ListByStatus(OutboundStatus.Queued).Concat(Get<OutboundRepository>().ListByStatus(OutboundStatus.Sent))
            .Where(mail => mail.Kind == kind).OrderBy(mail => mail.Id).ToList();

    public MimeMessage Rendered(OutboundMail mail) =>
        MimeMessage.Load(Path.Combine(Folder, "data", mail.MimePath));

    public string HolidaysFile(params string[] lines)
    {
        var path = Path.Combine(Folder, "holidays.csv");
        File.WriteAllText(path, string.Join("\n", lines), Encoding.UTF8);
        return path;
    }

    public void Dispose()
    {
        _host.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
    }
}
