using System.ComponentModel.DataAnnotations;

namespace MailIntake.Worker.Options;

/// <summary>The <c>MailIntake</c> section of appsettings.json (overridable by <c>MailIntake__Section__Key</c> variables).</summary>
public sealed class MailIntakeOptions
{
    public const string SectionName = "MailIntake";

    [Required]
    public string DataDirectory { get; set; } = "./data";

    [Required]
    public string TimeZone { get; set; } = "Asia/Taipei";

    public MailboxOptions Mailbox { get; set; } = new();
    public SmtpOptions Smtp { get; set; } = new();
    public CenterOptions Center { get; set; } = new();
    public ReceiptOptions Receipts { get; set; } = new();
    public StaffOptions Staff { get; set; } = new();
    public ReminderOptions Reminders { get; set; } = new();
    public PhoneConfirmationOptions PhoneConfirmation { get; set; } = new();
    public ArchivesOptions Archives { get; set; } = new();
    public CalendarOptions Calendar { get; set; } = new();
    public JobOptions Jobs { get; set; } = new();

    public string DatabasePath => Path.Combine(DataDirectory, "mailintake.db");

    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
}

public enum MailboxKind
{
    Folder,
    Imap,
}

public enum SmtpKind
{
    Folder,
    Smtp,
}

public enum TransportSecurity
{
    None,
    StartTls,
    SslOnConnect,
}

public sealed class MailboxOptions
{
    public MailboxKind Kind { get; set; } = MailboxKind.Folder;
    public string DropFolder { get; set; } = "./data/inbox";
    public string Host { get; set; } = string.Empty;

    [Range(1, 65535)]
    public int Port { get; set; } = 993;

    public TransportSecurity Security { get; set; } = TransportSecurity.SslOnConnect;
    public string User { get; set; } = string.Empty;
    public string Password { get; set; } = string.Empty;
    public string CaCertificate { get; set; } = string.Empty;
    public string Folder { get; set; } = "INBOX";
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);
    public bool UseIdle { get; set; } = true;

    /// <summary>authserv-id of the center's own mail server(s): only their Authentication-Results are believed.</summary>
    public List<string> TrustedAuthServIds { get; set; } = [];

    /// <summary>An attachment larger than this is recorded with a note (flag "oversize").</summary>
    [Range(1, long.MaxValue)]
    public long MaxAttachmentBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>Whether an oversize attachment's content is still stored as evidence (it always stays in the raw mail).</summary>
    public bool KeepOversizeAttachments { get; set; }
}

public sealed class SmtpOptions
{
    public SmtpKind Kind { get; set; } = SmtpKind.Folder;
    public string PickupFolder { get; set; } = "./data/outbox";
    public string Host { get; set; } = string.Empty;

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    public TransportSecurity Security { get; set; } = TransportSecurity.StartTls;
    public string User { get; set; } = string.Empty;
    public string Password { get; set; } = string.Empty;
    public string CaCertificate { get; set; } = string.Empty;

    [Required]
    public string From { get; set; } = string.Empty;

    /// <summary>Attempts (each itself retried by the smtp pipeline) before a mail is given up as failed and shown to staff.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 10;
}

public sealed class ReceiptOptions
{
    /// <summary>Loop protection: at most this many receipts to one sender address per hour.</summary>
    [Range(1, 1000)]
    public int MaxPerSenderPerHour { get; set; } = 3;
}

public sealed class CenterOptions
{
    public string Name { get; set; } = "臺南市政府智慧發展中心";
    public string Unit { get; set; } = "臺南市政府智慧發展中心";
    public string ContactName { get; set; } = string.Empty;
    public string Phone { get; set; } = string.Empty;
    public string Email { get; set; } = string.Empty;
}

public sealed class StaffOptions
{
    public List<string> DigestRecipients { get; set; } = [];
    public TimeOnly DigestTime { get; set; } = new(8, 30);
}

public sealed class ReminderOptions
{
    public List<int> DaysBefore { get; set; } = [];
    public TimeOnly SendTime { get; set; } = new(9, 0);
}

public sealed class PhoneConfirmationOptions
{
    public TimeSpan PromptAfter { get; set; } = TimeSpan.FromHours(4);
}

public sealed class ArchivesOptions
{
    public List<string> ReportRecipients { get; set; } = [];
}

public sealed class CalendarOptions
{
    public string HolidaysFile { get; set; } = string.Empty;
}

public sealed class JobOptions
{
    /// <summary>How often queued mail is sent.</summary>
    public TimeSpan OutboxInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the reminder, overdue, phone-prompt and digest sweepers look for what is due.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(15);
}
