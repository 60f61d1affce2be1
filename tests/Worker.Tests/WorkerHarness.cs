using System.Text;
using MailIntake.Storage;
using MailIntake.Worker.Intake;
using MailIntake.Worker.Notices;
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

        return Get<NoticeIssuer>().Issue(new IssueRequest(orgCode, "10.1.2.3", ["203.0.113.9"], new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 15), deadline, null, send));
    }

    /// <summary>Files a reply from the organisation through the real intake processor.</summary>
    public async Task ReceiveReplyAsync(string subject, string from = "org1@intake.test", string body = "填寫人：李大同 / 06-2345678 / lee@org1.example.tw\n本用戶已於115年12月01日完成以下改善事項。")
    {
        var message = new MimeMessage { Subject = subject, MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("org1.example.tw") };
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse("center@intake.test"));
        message.Body = new TextPart("plain") { Text = body };
        using var stream = new MemoryStream();
        await message.WriteToAsync(stream);
        stream.Position = 0;
        await Get<IntakeProcessor>().IngestAsync(stream, "test", checkpoint: null, CancellationToken.None);
    }

    public IReadOnlyList<OutboundMail> Outbound(string kind) =>
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
