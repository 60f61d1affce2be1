using MailIntake.Worker.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MailIntake.Worker.Tests;

public sealed class MailIntakeOptionsValidatorTests
{
    private static MailIntakeOptions Imap(string host, TransportSecurity security) => new()
    {
        Mailbox = new MailboxOptions { Kind = MailboxKind.Imap, Host = host, Security = security, User = "center" },
        Smtp = new SmtpOptions { From = "center@example.tw" },
    };

    [Fact]
    public void Validate_SecurityNoneOnRemoteHost_FailsNamingTheKey()
    {
        var result = new MailIntakeOptionsValidator().Validate(null, Imap("mail.example.tw", TransportSecurity.None));

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, failure => failure.StartsWith("MailIntake:Mailbox:Security", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    [InlineData("::1")]
    public void Validate_SecurityNoneOnLoopback_IsAllowed(string host) =>
        Assert.True(new MailIntakeOptionsValidator().Validate(null, Imap(host, TransportSecurity.None)).Succeeded);

    [Fact]
    public void Validate_ImapWithoutHost_FailsNamingTheKey()
    {
        var result = new MailIntakeOptionsValidator().Validate(null, Imap("", TransportSecurity.SslOnConnect));

        Assert.Contains(result.Failures!, failure => failure.StartsWith("MailIntake:Mailbox:Host", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(61)]
    public void Validate_DropQuietPeriodOutOfRange_FailsNamingTheKey(int seconds)
    {
        var options = new MailIntakeOptions { Smtp = new SmtpOptions { From = "center@example.tw" } };
        options.Mailbox.DropQuietPeriod = TimeSpan.FromSeconds(seconds);

        var result = new MailIntakeOptionsValidator().Validate(null, options);

        Assert.Contains(result.Failures!, failure => failure.StartsWith("MailIntake:Mailbox:DropQuietPeriod", StringComparison.Ordinal));
    }

    /// <summary>h14h G9: a holiday file with a line that is not a date stops the program at start, naming the key and the line.</summary>
    [Fact]
    public void Validate_HolidaysFileWithALineNotADate_FailsNamingTheKeyAndTheLine()
    {
        var path = Path.Combine(Path.GetTempPath(), $"holidays-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, "2026-12-17 (四)\n");
        try
        {
            var options = Imap("127.0.0.1", TransportSecurity.None);
            options.Calendar.HolidaysFile = path;

            var result = new MailIntakeOptionsValidator().Validate(null, options);

            Assert.Contains(result.Failures!, failure => failure.StartsWith("MailIntake:Calendar:HolidaysFile ", StringComparison.Ordinal)
                                                         && failure.Contains("第 1 行之第一欄不是日期：「2026-12-17 (四)」", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>h17h P6: a holiday file setting naming a folder was called 「找不到檔案」.</summary>
    [Fact]
    public void Validate_HolidaysFileThatIsAFolder_SaysItIsAFolder()
    {
        var options = Imap("127.0.0.1", TransportSecurity.None);
        options.Calendar.HolidaysFile = Path.GetTempPath();

        var result = new MailIntakeOptionsValidator().Validate(null, options);

        Assert.Contains($"MailIntake:Calendar:HolidaysFile 是資料夾，不是檔案：{Path.GetTempPath()}", result.Failures!);
    }

    /// <summary>h19h H4: a device as the holiday file ran the start out of memory (「Array dimensions exceeded supported range.」).</summary>
    [Fact]
    public void Validate_HolidaysFileThatIsADevice_SaysItIsNotARegularFile()
    {
        var options = Imap("127.0.0.1", TransportSecurity.None);
        options.Calendar.HolidaysFile = "/dev/zero";

        var result = new MailIntakeOptionsValidator().Validate(null, options);

        Assert.Contains(result.Failures!, failure => failure.StartsWith("MailIntake:Calendar:HolidaysFile 不是一般檔案", StringComparison.Ordinal)
                                                     && failure.EndsWith("：/dev/zero", StringComparison.Ordinal));
    }

    /// <summary>h19h H4: a huge holiday file is refused by its size, naming the file and the limit, before a byte is read.</summary>
    [Fact]
    public void Validate_HolidaysFileOverTheLimit_SaysItIsTooLargeNamingTheLimit()
    {
        var path = Path.Combine(Path.GetTempPath(), $"holidays-{Guid.NewGuid():N}.csv");
        using (var file = new FileStream(path, FileMode.CreateNew))
        {
            file.SetLength(3L * 1024 * 1024 * 1024); // sparse: no disk used
        }

        try
        {
            var options = Imap("127.0.0.1", TransportSecurity.None);
            options.Calendar.HolidaysFile = path;

            var result = new MailIntakeOptionsValidator().Validate(null, options);

            Assert.Contains(result.Failures!, failure => failure.StartsWith($"MailIntake:Calendar:HolidaysFile 檔案過大：{path}", StringComparison.Ordinal)
                                                         && failure.Contains("上限 4 MB", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Validate_MissingCaCertificateFile_FailsNamingTheKey()
    {
        var options = Imap("mail.example.tw", TransportSecurity.SslOnConnect);
        options.Mailbox.CaCertificate = "/nonexistent/ca.pem";

        var result = new MailIntakeOptionsValidator().Validate(null, options);

        Assert.Contains(result.Failures!, failure => failure.StartsWith("MailIntake:Mailbox:CaCertificate", StringComparison.Ordinal));
    }

    private static MailIntakeOptions ImapWithOAuth2(Action<OAuth2Options> configure)
    {
        var options = Imap("outlook.office365.com", TransportSecurity.SslOnConnect);
        options.Mailbox.Auth = MailAuth.OAuth2;
        options.OAuth2 = new OAuth2Options { TenantId = "contoso.onmicrosoft.com", ClientId = "app", ClientSecret = "secret" };
        configure(options.OAuth2);
        return options;
    }

    [Fact]
    public void Validate_OAuth2WithTenantClientAndSecret_Succeeds() =>
        Assert.True(new MailIntakeOptionsValidator().Validate(null, ImapWithOAuth2(_ => { })).Succeeded);

    [Theory]
    [InlineData("ClientId")]
    [InlineData("ClientSecret")]
    [InlineData("TenantId")]
    [InlineData("Scope")]
    public void Validate_OAuth2WithoutARequiredKey_FailsNamingTheKey(string key)
    {
        var options = ImapWithOAuth2(oauth => typeof(OAuth2Options).GetProperty(key)!.SetValue(oauth, ""));

        var result = new MailIntakeOptionsValidator().Validate(null, options);

        Assert.Contains(result.Failures!, failure => failure.StartsWith($"MailIntake:OAuth2:{key}", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_OAuth2WithSecretAndCertificate_FailsNamingBoth()
    {
        var result = new MailIntakeOptionsValidator().Validate(null, ImapWithOAuth2(oauth => oauth.CertificatePath = typeof(MailIntakeOptionsValidatorTests).Assembly.Location));

        Assert.Contains(result.Failures!, failure => failure.StartsWith("MailIntake:OAuth2:ClientSecret 或 CertificatePath", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://idp.example.tw/tenant")]
    [InlineData("idp.example.tw")]
    public void Validate_OAuth2AuthorityNotHttps_FailsNamingTheKey(string authority)
    {
        var result = new MailIntakeOptionsValidator().Validate(null, ImapWithOAuth2(oauth => oauth.Authority = authority));

        Assert.Contains(result.Failures!, failure => failure.StartsWith("MailIntake:OAuth2:Authority", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_OtherAuthorityWithoutTenant_Succeeds() =>
        Assert.True(new MailIntakeOptionsValidator().Validate(null, ImapWithOAuth2(oauth => (oauth.TenantId, oauth.Authority) = ("", "https://idp.example.tw/realm"))).Succeeded);

    [Fact]
    public void Validate_SmtpOAuth2WithoutUser_FailsNamingTheKey()
    {
        var options = ImapWithOAuth2(_ => { });
        options.Smtp = new SmtpOptions { Kind = SmtpKind.Smtp, Host = "smtp.office365.com", Auth = MailAuth.OAuth2, From = "center@example.tw" };

        var result = new MailIntakeOptionsValidator().Validate(null, options);

        Assert.Contains(result.Failures!, failure => failure.StartsWith("MailIntake:Smtp:User", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_OAuth2SectionEmptyWhilePasswordsAreUsed_Succeeds() =>
        Assert.True(new MailIntakeOptionsValidator().Validate(null, Imap("mail.example.tw", TransportSecurity.SslOnConnect)).Succeeded);

    [Fact]
    public async Task HostStart_OAuth2WithoutClientId_StopsStartWithMessageNamingTheKey()
    {
        using var host = AppHost.Build(verbose: false, new Dictionary<string, string?>
        {
            ["MailIntake:DataDirectory"] = Path.Combine(Path.GetTempPath(), "mailintake-options-" + Guid.NewGuid().ToString("N")),
            ["MailIntake:Mailbox:Kind"] = "Imap",
            ["MailIntake:Mailbox:Host"] = "outlook.office365.com",
            ["MailIntake:Mailbox:User"] = "center@example.tw",
            ["MailIntake:Mailbox:Auth"] = "OAuth2",
            ["MailIntake:OAuth2:TenantId"] = "contoso.onmicrosoft.com",
            ["MailIntake:OAuth2:ClientSecret"] = "secret",
        });

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("MailIntake:OAuth2:ClientId", exception.Message);
    }

    [Fact]
    public async Task HostStart_BadSetting_StopsStartWithMessageNamingTheKey()
    {
        using var host = AppHost.Build(verbose: false, new Dictionary<string, string?>
        {
            ["MailIntake:DataDirectory"] = Path.Combine(Path.GetTempPath(), "mailintake-options-" + Guid.NewGuid().ToString("N")),
            ["MailIntake:Mailbox:Kind"] = "Imap",
            ["MailIntake:Mailbox:Host"] = "mail.example.tw",
            ["MailIntake:Mailbox:User"] = "center",
            ["MailIntake:Mailbox:Security"] = "None",
        });

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("MailIntake:Mailbox:Security", exception.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("公文電子交換系統資訊安全管理規範。")]
    [InlineData("公文電子交換系統資訊安全管理規範第七點\n第二項")]
    public void Validate_LegalBasisWithoutARegulationPointOrOnSeveralLines_FailsNamingTheKey(string legalBasis)
    {
        var options = Imap("mail.example.tw", TransportSecurity.SslOnConnect);
        options.Center.LegalBasis = legalBasis;

        var result = new MailIntakeOptionsValidator().Validate(null, options);

        Assert.Contains(result.Failures!, failure => failure.StartsWith("MailIntake:Center:LegalBasis", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("臺南市政府組織及團體輕量化收發平台（WebjAgent）系統申請及使用須知第七點（第二項第三款）、公文電子交換系統資訊安全管理規範第12點。")]
    [InlineData("公文電子交換系統資訊安全管理規範第○點（第○項第○款）。")]
    public void Validate_LegalBasisNamingAPoint_Succeeds(string legalBasis)
    {
        var options = Imap("mail.example.tw", TransportSecurity.SslOnConnect);
        options.Center.LegalBasis = legalBasis;

        Assert.True(new MailIntakeOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void CenterOptions_DefaultLegalBasis_NamesBothRegulationsWithPointItemAndSubparagraph()
    {
        var legalBasis = new CenterOptions().LegalBasis;

        Assert.Contains("系統申請及使用須知第○點（第○項第○款）", legalBasis);
        Assert.Contains("公文電子交換系統資訊安全管理規範第○點（第○項第○款）", legalBasis);
    }

    /// <summary>h11y N6: a pickup folder whose path runs through a file can never be made; start-up says so, naming the key and the file.</summary>
    [Fact]
    public void Validate_PickupFolderBehindAFile_FailsNamingTheKeyAndTheFile()
    {
        var folder = Path.Combine(Path.GetTempPath(), "mailintake-validator-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var file = Path.Combine(folder, "afile");
            File.WriteAllText(file, "not a folder");
            var options = new MailIntakeOptions { Smtp = new SmtpOptions { From = "center@example.tw", Kind = SmtpKind.Folder, PickupFolder = Path.Combine(file, "pickup") } };

            var result = new MailIntakeOptionsValidator().Validate(null, options);

            Assert.Contains(result.Failures ?? [], failure => failure.StartsWith("MailIntake:Smtp:PickupFolder", StringComparison.Ordinal)
                && failure.Contains($"{file} 是檔案，不是資料夾", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>h11z F5: a DataDirectory that is a link to a disk not mounted is named as such, not called a file.</summary>
    [Fact]
    public void Validate_DataDirectoryLinkToNothing_FailsNamingTheLinkAndItsMissingTarget()
    {
        var folder = Path.Combine(Path.GetTempPath(), "mailintake-validator-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var target = Path.Combine(folder, "not-mounted");
            var link = Path.Combine(folder, "data");
            File.CreateSymbolicLink(link, target);
            var options = new MailIntakeOptions { DataDirectory = link, Smtp = new SmtpOptions { From = "center@example.tw" } };

            var result = new MailIntakeOptionsValidator().Validate(null, options);

            var failure = Assert.Single(result.Failures ?? [], failure => failure.StartsWith("MailIntake:DataDirectory", StringComparison.Ordinal));
            Assert.Contains($"{link} 是符號連結，所指之 {target} 不存在（路徑錯誤，或其磁碟未掛載）", failure, StringComparison.Ordinal);
            Assert.DoesNotContain("檔案", failure, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A DataDirectory that is a link to a mounted folder is an ordinary DataDirectory.</summary>
    [Fact]
    public void Validate_DataDirectoryLinkToAFolder_Succeeds()
    {
        var folder = Path.Combine(Path.GetTempPath(), "mailintake-validator-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(folder, "mounted"));
        try
        {
            var link = Path.Combine(folder, "data");
            File.CreateSymbolicLink(link, Path.Combine(folder, "mounted"));
            var options = new MailIntakeOptions { DataDirectory = link, Smtp = new SmtpOptions { From = "center@example.tw" } };

            var result = new MailIntakeOptionsValidator().Validate(null, options);

            Assert.DoesNotContain(result.Failures ?? [], failure => failure.StartsWith("MailIntake:DataDirectory", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>h14h G12: a setting left blank (<c>MailIntake__DataDirectory=</c>) is named, not an English crash.</summary>
    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Validate_DataDirectoryBlank_FailsNamingTheKey(string blank)
    {
        var options = new MailIntakeOptions { DataDirectory = blank, Smtp = new SmtpOptions { From = "center@example.tw" } };

        var result = new MailIntakeOptionsValidator().Validate(null, options);

        Assert.Equal(["MailIntake:DataDirectory 必須設定"], (result.Failures ?? []).Where(failure => failure.StartsWith("MailIntake:DataDirectory", StringComparison.Ordinal)));
    }
}
