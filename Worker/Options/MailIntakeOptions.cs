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

    /// <summary>The one app registration both IMAP and SMTP use when their <c>Auth</c> is <c>OAuth2</c>.</summary>
    public OAuth2Options OAuth2 { get; set; } = new();

    /// <summary>Whether the mailbox or the SMTP server is reached with an OAuth2 token.</summary>
    public bool UsesOAuth2 =>
        (Mailbox.Kind == MailboxKind.Imap && Mailbox.Auth == MailAuth.OAuth2)
        || (Smtp.Kind == SmtpKind.Smtp && Smtp.Auth == MailAuth.OAuth2);

    public string DatabasePath => Path.Combine(DataDirectory, "mailintake.db");

    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    /// <summary>
    /// For what is set up before the settings are validated (the Quartz schedule, --as-of): an unknown zone stands in
    /// as Asia/Taipei there, and the validation then stops the program naming MailIntake:TimeZone.
    /// </summary>
    public static TimeZoneInfo ZoneOrDefault(string? id) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(id ?? "Asia/Taipei", out var zone) ? zone : TimeZoneInfo.FindSystemTimeZoneById("Asia/Taipei");
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

/// <summary>How IMAP and SMTP log in: the password, or a bearer token from <see cref="OAuth2Options"/> (SASL XOAUTH2).</summary>
public enum MailAuth
{
    Password,
    OAuth2,
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

    /// <summary>A drop-folder file is read once it has not changed for this long (a writer may still be writing it).</summary>
    public TimeSpan DropQuietPeriod { get; set; } = TimeSpan.FromSeconds(2);
    public string Host { get; set; } = string.Empty;

    [Range(1, 65535)]
    public int Port { get; set; } = 993;

    public TransportSecurity Security { get; set; } = TransportSecurity.SslOnConnect;
    public MailAuth Auth { get; set; } = MailAuth.Password;
    public string User { get; set; } = string.Empty;
    public string Password { get; set; } = string.Empty;
    public string CaCertificate { get; set; } = string.Empty;
    public string Folder { get; set; } = "INBOX";
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);
    public bool UseIdle { get; set; } = true;

    /// <summary>More connection drops than this within an hour is a warning in <c>status</c> and the digest (a reconnect storm).</summary>
    [Range(1, 10_000)]
    public int DropWarningPerHour { get; set; } = 10;

    /// <summary>authserv-id of the center's own mail server(s): only their Authentication-Results are believed.</summary>
    public List<string> TrustedAuthServIds { get; set; } = [];

    /// <summary>An attachment larger than this is recorded with a note (flag "oversize").</summary>
    [Range(1, long.MaxValue)]
    public long MaxAttachmentBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>Whether an oversize attachment's content is still stored as evidence (it always stays in the raw mail).</summary>
    public bool KeepOversizeAttachments { get; set; }

    /// <summary>
    /// An IMAP message larger than this is fetched in pieces of this size, each written straight to its raw file, so
    /// the worker's memory does not grow with the size of a mail.
    /// </summary>
    [Range(4096, int.MaxValue)]
    public int LargeMailBytes { get; set; } = 4 * 1024 * 1024;
}

public sealed class SmtpOptions
{
    public SmtpKind Kind { get; set; } = SmtpKind.Folder;
    public string PickupFolder { get; set; } = "./data/outbox";
    public string Host { get; set; } = string.Empty;

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    public TransportSecurity Security { get; set; } = TransportSecurity.StartTls;
    public MailAuth Auth { get; set; } = MailAuth.Password;
    public string User { get; set; } = string.Empty;
    public string Password { get; set; } = string.Empty;
    public string CaCertificate { get; set; } = string.Empty;

    [Required]
    public string From { get; set; } = string.Empty;

    /// <summary>Attempts (each itself retried by the smtp pipeline) before a mail is given up as failed and shown to staff.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 10;
}

/// <summary>
/// The client-credentials app (Microsoft Entra: application permissions IMAP.AccessAsApp / SMTP.SendAsApp) whose
/// tokens log IMAP and SMTP in. Shared by both: Exchange Online takes one token for both, from one registration.
/// </summary>
public sealed class OAuth2Options
{
    public const string EntraAuthority = "https://login.microsoftonline.com/";

    public string TenantId { get; set; } = string.Empty;
    public string ClientId { get; set; } = string.Empty;
    public string ClientSecret { get; set; } = string.Empty;

    /// <summary>A PFX (with <see cref="CertificatePassword"/>) or a PEM holding the certificate and its private key.</summary>
    public string CertificatePath { get; set; } = string.Empty;

    public string CertificatePassword { get; set; } = string.Empty;

    public string Scope { get; set; } = "https://outlook.office365.com/.default";

    /// <summary>Empty: Microsoft Entra for <see cref="TenantId"/>. Otherwise any OpenID Connect authority (its discovery document names the token endpoint).</summary>
    public string Authority { get; set; } = string.Empty;

    /// <summary>A PEM of an extra CA to trust for the identity provider's TLS (a private one); certificates are always validated.</summary>
    public string CaCertificate { get; set; } = string.Empty;

    public bool IsEntra => string.IsNullOrWhiteSpace(Authority);

    public string EffectiveAuthority => IsEntra ? EntraAuthority + TenantId : Authority.TrimEnd('/');
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

    /// <summary>
    /// 法令依據 as the notice, its form, the exports, the suspension notice and the Archives' documents print it: the
    /// regulations with their point, item and subparagraph (第○點（第○項第○款）). The default keeps the paper form's
    /// blanks; the center fills in its points here.
    /// </summary>
    public string LegalBasis { get; set; } = DefaultLegalBasis;

    public const string DefaultLegalBasis =
        "臺南市政府組織及團體輕量化收發平台（WebjAgent）系統申請及使用須知第○點（第○項第○款）、公文電子交換系統資訊安全管理規範第○點（第○項第○款）。";
}

public sealed class StaffOptions
{
    public List<string> DigestRecipients { get; set; } = [];
    public TimeOnly DigestTime { get; set; } = new(8, 30);

    /// <summary>Who may act by mail (the action links of staff mails are signed for each of them).</summary>
    public List<StaffMember> Members { get; set; } = [];

    /// <summary>The secret the action links are signed with; empty: one is generated once into the DataDirectory.</summary>
    public string ActionKey { get; set; } = string.Empty;

    /// <summary>How long an action link works after its mail was sent.</summary>
    public TimeSpan ActionLinkValidity { get; set; } = TimeSpan.FromDays(14);

    /// <summary>The member whose address this is (compared without case), or null.</summary>
    public StaffMember? FindMember(string? address) =>
        address is null ? null : Members.FirstOrDefault(member => string.Equals(member.Email.Trim(), address.Trim(), StringComparison.OrdinalIgnoreCase));
}

public enum StaffRole
{
    Staff,
    Admin,
}

/// <summary>One entry of Staff:Members.</summary>
public sealed class StaffMember
{
    public string Email { get; set; } = string.Empty;
    public string Name { get; set; } = string.Empty;
    public StaffRole Role { get; set; } = StaffRole.Staff;
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
