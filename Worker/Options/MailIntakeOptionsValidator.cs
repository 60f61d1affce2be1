using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace MailIntake.Worker.Options;

/// <summary>Checks the settings that depend on each other; every failure names its key (MailIntake:Section:Key).</summary>
public sealed partial class MailIntakeOptionsValidator : IValidateOptions<MailIntakeOptions>
{
    public ValidateOptionsResult Validate(string? name, MailIntakeOptions options)
    {
        var failures = new List<string>();
        Annotations(MailIntakeOptions.SectionName, options, failures);
        Annotations($"{MailIntakeOptions.SectionName}:Mailbox", options.Mailbox, failures);
        Annotations($"{MailIntakeOptions.SectionName}:Smtp", options.Smtp, failures);
        if (TimeZoneInfo.TryFindSystemTimeZoneById(options.TimeZone, out _) is false)
        {
            failures.Add($"MailIntake:TimeZone: unknown time zone '{options.TimeZone}'");
        }

        var mailbox = options.Mailbox;
        if (mailbox.Kind == MailboxKind.Imap)
        {
            RequireServer("Mailbox", mailbox.Host, mailbox.Security, mailbox.CaCertificate, failures);
            if (string.IsNullOrWhiteSpace(mailbox.User))
            {
                failures.Add("MailIntake:Mailbox:User is required when Mailbox:Kind is Imap");
            }

            if (string.IsNullOrWhiteSpace(mailbox.Folder))
            {
                failures.Add("MailIntake:Mailbox:Folder must name a mailbox folder (e.g. INBOX)");
            }
        }
        else if (string.IsNullOrWhiteSpace(mailbox.DropFolder))
        {
            failures.Add("MailIntake:Mailbox:DropFolder is required when Mailbox:Kind is Folder");
        }

        if (mailbox.PollInterval < TimeSpan.FromSeconds(1))
        {
            failures.Add("MailIntake:Mailbox:PollInterval must be at least 00:00:01");
        }

        if (mailbox.DropQuietPeriod < TimeSpan.Zero || mailbox.DropQuietPeriod > TimeSpan.FromMinutes(1))
        {
            failures.Add("MailIntake:Mailbox:DropQuietPeriod must be between 00:00:00 and 00:01:00");
        }

        var smtp = options.Smtp;
        if (smtp.Kind == SmtpKind.Smtp)
        {
            RequireServer("Smtp", smtp.Host, smtp.Security, smtp.CaCertificate, failures);
        }
        else if (string.IsNullOrWhiteSpace(smtp.PickupFolder))
        {
            failures.Add("MailIntake:Smtp:PickupFolder is required when Smtp:Kind is Folder");
        }

        if (smtp.Kind == SmtpKind.Smtp && smtp.Auth == MailAuth.OAuth2 && string.IsNullOrWhiteSpace(smtp.User))
        {
            failures.Add("MailIntake:Smtp:User is required when Smtp:Auth is OAuth2 (the mailbox the token logs in as)");
        }

        if (options.UsesOAuth2)
        {
            OAuth2(options.OAuth2, failures);
        }

        if (!MimeKit.MailboxAddress.TryParse(smtp.From, out _))
        {
            failures.Add($"MailIntake:Smtp:From is not an email address: '{smtp.From}'");
        }

        if (options.Jobs.OutboxInterval < TimeSpan.FromSeconds(5) || options.Jobs.SweepInterval < TimeSpan.FromSeconds(5))
        {
            failures.Add("MailIntake:Jobs:OutboxInterval and SweepInterval must be at least 00:00:05");
        }

        if (options.Reminders.DaysBefore.Any(days => days is < 1 or > 60))
        {
            failures.Add("MailIntake:Reminders:DaysBefore: each value must be between 1 and 60");
        }

        Staff(options.Staff, failures);
        LegalBasis(options.Center.LegalBasis, failures);

        if (!string.IsNullOrWhiteSpace(options.Calendar.HolidaysFile) && !File.Exists(options.Calendar.HolidaysFile))
        {
            failures.Add($"MailIntake:Calendar:HolidaysFile: file not found '{options.Calendar.HolidaysFile}'");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The smallest configured action key: shorter secrets are guessable.</summary>
    public const int MinActionKeyLength = 32;

    private static void Staff(StaffOptions staff, List<string> failures)
    {
        for (var i = 0; i < staff.Members.Count; i++)
        {
            var member = staff.Members[i];
            if (!MimeKit.MailboxAddress.TryParse(member.Email, out var address) || address.Address != member.Email.Trim() || !member.Email.Contains('@'))
            {
                failures.Add($"MailIntake:Staff:Members:{i}:Email is not a bare email address: '{member.Email}'");
            }

            if (string.IsNullOrWhiteSpace(member.Name))
            {
                failures.Add($"MailIntake:Staff:Members:{i}:Name is required (it is recorded as the tracker or confirmer)");
            }

            if (staff.Members.Take(i).Any(other => string.Equals(other.Email.Trim(), member.Email.Trim(), StringComparison.OrdinalIgnoreCase)))
            {
                failures.Add($"MailIntake:Staff:Members:{i}:Email '{member.Email}' is listed twice");
            }
        }

        if (!string.IsNullOrEmpty(staff.ActionKey) && staff.ActionKey.Trim().Length < MinActionKeyLength)
        {
            failures.Add($"MailIntake:Staff:ActionKey must be at least {MinActionKeyLength} characters (or empty: one is generated into the DataDirectory)");
        }

        if (staff.ActionLinkValidity < TimeSpan.FromHours(1) || staff.ActionLinkValidity > TimeSpan.FromDays(365))
        {
            failures.Add("MailIntake:Staff:ActionLinkValidity must be between 01:00:00 and 365.00:00:00");
        }
    }

    private static void RequireServer(string section, string host, TransportSecurity security, string caCertificate, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(host))
        {
            failures.Add($"MailIntake:{section}:Host is required");
            return;
        }

        if (security == TransportSecurity.None && !IsLoopback(host))
        {
            failures.Add($"MailIntake:{section}:Security None is allowed only for a loopback host, not '{host}'");
        }

        if (!string.IsNullOrWhiteSpace(caCertificate) && !File.Exists(caCertificate))
        {
            failures.Add($"MailIntake:{section}:CaCertificate: file not found '{caCertificate}'");
        }
    }

    private static void OAuth2(OAuth2Options oauth, List<string> failures)
    {
        const string When = "when Mailbox:Auth or Smtp:Auth is OAuth2";
        if (string.IsNullOrWhiteSpace(oauth.ClientId))
        {
            failures.Add($"MailIntake:OAuth2:ClientId is required {When}");
        }

        var secret = !string.IsNullOrWhiteSpace(oauth.ClientSecret);
        var certificate = !string.IsNullOrWhiteSpace(oauth.CertificatePath);
        if (secret == certificate)
        {
            failures.Add($"MailIntake:OAuth2:ClientSecret or CertificatePath (one of them, not both) is required {When}");
        }

        if (certificate && !File.Exists(oauth.CertificatePath))
        {
            failures.Add($"MailIntake:OAuth2:CertificatePath: file not found '{oauth.CertificatePath}'");
        }

        if (oauth.IsEntra && string.IsNullOrWhiteSpace(oauth.TenantId))
        {
            failures.Add($"MailIntake:OAuth2:TenantId is required {When} (or Authority for another identity provider)");
        }

        if (!oauth.IsEntra && !(Uri.TryCreate(oauth.Authority, UriKind.Absolute, out var authority) && authority.Scheme == Uri.UriSchemeHttps))
        {
            failures.Add($"MailIntake:OAuth2:Authority must be an https URL, not '{oauth.Authority}'");
        }

        if (string.IsNullOrWhiteSpace(oauth.Scope))
        {
            failures.Add($"MailIntake:OAuth2:Scope is required {When} (Exchange Online: https://outlook.office365.com/.default)");
        }

        if (!string.IsNullOrWhiteSpace(oauth.CaCertificate) && !File.Exists(oauth.CaCertificate))
        {
            failures.Add($"MailIntake:OAuth2:CaCertificate: file not found '{oauth.CaCertificate}'");
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

    private static void Annotations(string section, object options, List<string> failures)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            failures.AddRange(results.Select(result => $"{section}:{string.Join(",", result.MemberNames)}: {result.ErrorMessage}"));
        }
    }

    public static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
}
