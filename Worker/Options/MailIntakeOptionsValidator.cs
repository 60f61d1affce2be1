using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace MailIntake.Worker.Options;

/// <summary>
/// Every check of the settings, in one place: each failure starts with its key (MailIntake:Section:Key) and says in
/// zh-TW what is wrong; the program stops at start with them on one line. Values that cannot even become their type
/// (an unknown enum name, 25:00) are caught before binding by <see cref="SettingValues"/>.
/// </summary>
public sealed partial class MailIntakeOptionsValidator : IValidateOptions<MailIntakeOptions>
{
    public ValidateOptionsResult Validate(string? name, MailIntakeOptions options)
    {
        var failures = new List<string>();
        Annotations(MailIntakeOptions.SectionName, options, failures);
        if (TimeZoneInfo.TryFindSystemTimeZoneById(options.TimeZone, out _) is false)
        {
            failures.Add($"MailIntake:TimeZone 不是已知之時區：「{options.TimeZone}」（例如 Asia/Taipei）");
        }

        Folder("DataDirectory", options.DataDirectory, failures);
        var mailbox = options.Mailbox;
        if (mailbox.Kind == MailboxKind.Imap)
        {
            RequireServer("Mailbox", mailbox.Host, mailbox.Security, mailbox.CaCertificate, failures);
            if (string.IsNullOrWhiteSpace(mailbox.User))
            {
                failures.Add("MailIntake:Mailbox:User 必須設定（Mailbox:Kind 為 Imap 時）");
            }

            if (string.IsNullOrWhiteSpace(mailbox.Folder))
            {
                failures.Add("MailIntake:Mailbox:Folder 須為信箱資料夾名稱（例如 INBOX）");
            }
        }
        else if (string.IsNullOrWhiteSpace(mailbox.DropFolder))
        {
            failures.Add("MailIntake:Mailbox:DropFolder 必須設定（Mailbox:Kind 為 Folder 時）");
        }
        else
        {
            Folder("Mailbox:DropFolder", mailbox.DropFolder, failures);
        }

        if (mailbox.PollInterval < TimeSpan.FromSeconds(1))
        {
            failures.Add("MailIntake:Mailbox:PollInterval 至少須為 00:00:01");
        }

        if (mailbox.DropQuietPeriod < TimeSpan.Zero || mailbox.DropQuietPeriod > TimeSpan.FromMinutes(1))
        {
            failures.Add("MailIntake:Mailbox:DropQuietPeriod 須介於 00:00:00 與 00:01:00 之間");
        }

        var smtp = options.Smtp;
        if (smtp.Kind == SmtpKind.Smtp)
        {
            RequireServer("Smtp", smtp.Host, smtp.Security, smtp.CaCertificate, failures);
        }
        else if (string.IsNullOrWhiteSpace(smtp.PickupFolder))
        {
            failures.Add("MailIntake:Smtp:PickupFolder 必須設定（Smtp:Kind 為 Folder 時）");
        }
        else
        {
            Folder("Smtp:PickupFolder", smtp.PickupFolder, failures);
        }

        if (smtp.Kind == SmtpKind.Smtp && smtp.Auth == MailAuth.OAuth2 && string.IsNullOrWhiteSpace(smtp.User))
        {
            failures.Add("MailIntake:Smtp:User 必須設定（Smtp:Auth 為 OAuth2 時，權杖登入之信箱）");
        }

        if (options.UsesOAuth2)
        {
            OAuth2(options.OAuth2, failures);
        }

        if (!MimeKit.MailboxAddress.TryParse(smtp.From, out var from) || !IsAddress(from.Address))
        {
            failures.Add($"MailIntake:Smtp:From 不是電子郵件地址：「{smtp.From}」（例如 center@tainan.gov.tw）");
        }

        if (!string.IsNullOrWhiteSpace(options.Center.Email) && !IsBareAddress(options.Center.Email))
        {
            failures.Add($"MailIntake:Center:Email 不是電子郵件地址：「{options.Center.Email}」");
        }

        if (options.Jobs.OutboxInterval < TimeSpan.FromSeconds(5) || options.Jobs.SweepInterval < TimeSpan.FromSeconds(5))
        {
            failures.Add("MailIntake:Jobs:OutboxInterval 與 SweepInterval 至少須為 00:00:05");
        }

        if (options.Reminders.DaysBefore.Any(days => days is < 1 or > 60))
        {
            failures.Add("MailIntake:Reminders:DaysBefore 之每個值須介於 1 與 60 之間");
        }

        if (options.PhoneConfirmation.PromptAfter < TimeSpan.Zero || options.PhoneConfirmation.PromptAfter > TimeSpan.FromDays(30))
        {
            failures.Add($"MailIntake:PhoneConfirmation:PromptAfter 須介於 00:00:00 與 30.00:00:00 之間：{options.PhoneConfirmation.PromptAfter.ToString("c", CultureInfo.InvariantCulture)}");
        }

        Addresses("Staff:DigestRecipients", options.Staff.DigestRecipients, failures);
        Addresses("Archives:ReportRecipients", options.Archives.ReportRecipients, failures);
        Staff(options.Staff, failures);
        LegalBasis(options.Center.LegalBasis, failures);

        if (!string.IsNullOrWhiteSpace(options.Calendar.HolidaysFile))
        {
            Holidays(options.Calendar.HolidaysFile, failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The smallest configured action key: shorter secrets are guessable.</summary>
    public const int MinActionKeyLength = 32;

    /// <summary>
    /// A folder setting must not name a file, nor a path through one (it could never be made: the program would fail
    /// later, blaming whatever it was doing — a queued mail was taken for lost, h11y N6). A link to nothing (a disk not
    /// mounted) is named as that, not as a file (h11z F5).
    /// </summary>
    private static void Folder(string key, string path, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            // Blank (an EnvironmentFile line left empty, h14h G12) is named by the key's own 「必須設定」; nothing to look at
            // here (a path check on "" threw, an English crash).
            return;
        }

        if (new FileInfo(path).LinkTarget is not null && File.ResolveLinkTarget(path, returnFinalTarget: true) is { } target
            && !Path.Exists(target.FullName))
        {
            failures.Add($"MailIntake:{key} 無法使用：{path} 是符號連結，所指之 {target.FullName} 不存在（路徑錯誤，或其磁碟未掛載）");
            return;
        }

        if (File.Exists(path))
        {
            failures.Add($"MailIntake:{key} 指向一個檔案，不是資料夾：{path}");
            return;
        }

        for (var above = Path.GetDirectoryName(Path.GetFullPath(path)); !string.IsNullOrEmpty(above); above = Path.GetDirectoryName(above))
        {
            if (File.Exists(above))
            {
                failures.Add($"MailIntake:{key} 之路徑無法建立為資料夾：{above} 是檔案，不是資料夾（{path}）");
                return;
            }
        }
    }

    private static void Addresses(string key, List<string> addresses, List<string> failures)
    {
        for (var i = 0; i < addresses.Count; i++)
        {
            if (!IsBareAddress(addresses[i]))
            {
                failures.Add($"MailIntake:{key}:{i} 不是單純之電子郵件地址：「{addresses[i]}」（例如 staff@tainan.gov.tw）");
            }
        }
    }

    /// <summary>user@domain.tld and nothing else: no display name or angle brackets, a domain with a dot.</summary>
    public static bool IsBareAddress(string? text) =>
        text is not null
        && MimeKit.MailboxAddress.TryParse(text, out var address)
        && string.IsNullOrEmpty(address.Name)
        && address.Address == text.Trim()
        && IsAddress(address.Address);

    private static bool IsAddress(string address) =>
        address.IndexOf('@') is > 0 and var at && at == address.LastIndexOf('@')
        && address[(at + 1)..] is { Length: > 2 } domain && domain.Contains('.') && !domain.StartsWith('.') && !domain.EndsWith('.');

    private static void Staff(StaffOptions staff, List<string> failures)
    {
        for (var i = 0; i < staff.Members.Count; i++)
        {
            var member = staff.Members[i];
            if (!IsBareAddress(member.Email))
            {
                failures.Add($"MailIntake:Staff:Members:{i}:Email 不是單純之電子郵件地址：「{member.Email}」");
            }

            if (string.IsNullOrWhiteSpace(member.Name))
            {
                failures.Add($"MailIntake:Staff:Members:{i}:Name 必須設定（記錄為追蹤人或確認人）");
            }

            if (staff.Members.Take(i).Any(other => string.Equals(other.Email.Trim(), member.Email.Trim(), StringComparison.OrdinalIgnoreCase)))
            {
                failures.Add($"MailIntake:Staff:Members:{i}:Email「{member.Email}」重複列出");
            }
        }

        if (!string.IsNullOrEmpty(staff.ActionKey) && staff.ActionKey.Trim().Length < MinActionKeyLength)
        {
            failures.Add($"MailIntake:Staff:ActionKey 至少須為 {MinActionKeyLength} 個字元（或留空：自動產生於資料目錄）");
        }

        if (staff.ActionLinkValidity < TimeSpan.FromHours(1) || staff.ActionLinkValidity > TimeSpan.FromDays(365))
        {
            failures.Add("MailIntake:Staff:ActionLinkValidity 須介於 01:00:00 與 365.00:00:00 之間");
        }
    }

    private static void RequireServer(string section, string host, TransportSecurity security, string caCertificate, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(host))
        {
            failures.Add($"MailIntake:{section}:Host 必須設定");
            return;
        }

        if (security == TransportSecurity.None && !IsLoopback(host))
        {
            failures.Add($"MailIntake:{section}:Security 為 None（不加密）只允許本機位址，不可用於「{host}」");
        }

        if (!string.IsNullOrWhiteSpace(caCertificate) && !File.Exists(caCertificate))
        {
            failures.Add($"MailIntake:{section}:CaCertificate 找不到檔案：{caCertificate}");
        }
    }

    private static void OAuth2(OAuth2Options oauth, List<string> failures)
    {
        const string When = "（Mailbox:Auth 或 Smtp:Auth 為 OAuth2 時）";
        if (string.IsNullOrWhiteSpace(oauth.ClientId))
        {
            failures.Add($"MailIntake:OAuth2:ClientId 必須設定{When}");
        }

        var secret = !string.IsNullOrWhiteSpace(oauth.ClientSecret);
        var certificate = !string.IsNullOrWhiteSpace(oauth.CertificatePath);
        if (secret == certificate)
        {
            failures.Add($"MailIntake:OAuth2:ClientSecret 或 CertificatePath 須設定其中之一（不可兩者皆設）{When}");
        }

        if (certificate && !File.Exists(oauth.CertificatePath))
        {
            failures.Add($"MailIntake:OAuth2:CertificatePath 找不到檔案：{oauth.CertificatePath}");
        }

        if (oauth.IsEntra && string.IsNullOrWhiteSpace(oauth.TenantId))
        {
            failures.Add($"MailIntake:OAuth2:TenantId 必須設定{When}（其他身分識別服務請設定 Authority）");
        }

        if (!oauth.IsEntra && !(Uri.TryCreate(oauth.Authority, UriKind.Absolute, out var authority) && authority.Scheme == Uri.UriSchemeHttps))
        {
            failures.Add($"MailIntake:OAuth2:Authority 須為 https 網址：「{oauth.Authority}」");
        }

        if (string.IsNullOrWhiteSpace(oauth.Scope))
        {
            failures.Add($"MailIntake:OAuth2:Scope 必須設定{When}（Exchange Online：https://outlook.office365.com/.default）");
        }

        if (!string.IsNullOrWhiteSpace(oauth.CaCertificate) && !File.Exists(oauth.CaCertificate))
        {
            failures.Add($"MailIntake:OAuth2:CaCertificate 找不到檔案：{oauth.CaCertificate}");
        }
    }

    /// <summary>Printed on one line of every notice and document: one line, naming at least one point (第○點) of a regulation.</summary>
    private static void LegalBasis(string legalBasis, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(legalBasis) || legalBasis.Contains('\n') || legalBasis.Contains('\r') || legalBasis.Length > 400
            || !RegulationPoint().IsMatch(legalBasis))
        {
            failures.Add("MailIntake:Center:LegalBasis 須為一行（至多 400 字），寫明法令名稱與條點，例如「公文電子交換系統資訊安全管理規範第○點（第○項第○款）」");
        }
    }

    [GeneratedRegex("第[○〇零一二三四五六七八九十百0-9０-９]+點")]
    private static partial Regex RegulationPoint();

    /// <summary>[Required] and [Range] on every section, worded in zh-TW with the key.</summary>
    private static void Annotations(string section, object options, List<string> failures)
    {
        foreach (var property in options.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(property => property.CanWrite))
        {
            var value = property.GetValue(options);
            var key = $"{section}:{property.Name}";
            foreach (var attribute in property.GetCustomAttributes<ValidationAttribute>())
            {
                if (attribute.IsValid(value))
                {
                    continue;
                }

                failures.Add(attribute switch
                {
                    RangeAttribute range => $"{key} 須介於 {range.Minimum} 與 {range.Maximum} 之間：{Convert.ToString(value, CultureInfo.InvariantCulture)}",
                    RequiredAttribute => $"{key} 必須設定",
                    _ => $"{key} 之值不符：{Convert.ToString(value, CultureInfo.InvariantCulture)}",
                });
            }

            if (value is not null && property.PropertyType.IsClass && property.PropertyType != typeof(string)
                && property.PropertyType.Namespace == typeof(MailIntakeOptions).Namespace)
            {
                Annotations(key, value, failures);
            }
        }
    }

    public static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));

    /// <summary>
    /// The holiday file is a readable text file of a sane size and every line is read (a line not a date would make its
    /// holiday a working day); a folder, a device, a file too large is named as such (h17h P6, h19h H4).
    /// </summary>
    private static void Holidays(string path, List<string> failures)
    {
        try
        {
            _ = Jobs.WorkingCalendar.Load(path);
        }
        catch (Application.NamedInputFileException refused)
        {
            failures.Add($"MailIntake:Calendar:HolidaysFile {refused.Message}");
        }
        catch (InvalidDataException exception)
        {
            failures.Add($"MailIntake:Calendar:HolidaysFile {exception.Message}");
        }
    }
}
