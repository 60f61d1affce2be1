using MailIntake.Worker.Options;
using Microsoft.Extensions.Options;

namespace MailIntake.Worker.Tests;

/// <summary>CONTRACT: invalid settings stop the program at start with one line naming the key — in zh-TW, for every key.</summary>
public sealed class SettingsValidationTests
{
    private static IReadOnlyList<string> Failures(Action<MailIntakeOptions> configure)
    {
        var options = new MailIntakeOptions { Smtp = new SmtpOptions { From = "center@example.tw" } };
        configure(options);
        return new MailIntakeOptionsValidator().Validate(null, options).Failures?.ToList() ?? [];
    }

    private static void AssertNamesKeyInChinese(IReadOnlyList<string> failures, string key)
    {
        var failure = Assert.Single(failures, failure => failure.StartsWith(key + " ", StringComparison.Ordinal));
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", failure);
        Assert.DoesNotContain('\n', failure);
    }

    [Fact]
    public void Validate_NegativePromptAfter_Fails() =>
        AssertNamesKeyInChinese(Failures(options => options.PhoneConfirmation.PromptAfter = TimeSpan.FromHours(-1)), "MailIntake:PhoneConfirmation:PromptAfter");

    [Theory]
    [InlineData("notanaddress")]
    [InlineData("center@localhost")]
    public void Validate_SmtpFromNotAnAddress_Fails(string from) =>
        AssertNamesKeyInChinese(Failures(options => options.Smtp.From = from), "MailIntake:Smtp:From");

    [Fact]
    public void Validate_DigestRecipientOrArchivesRecipientNotAnAddress_FailsNamingTheIndex()
    {
        var failures = Failures(options =>
        {
            options.Staff.DigestRecipients = ["staff@tainan.gov.tw", "bad"];
            options.Archives.ReportRecipients = ["a@b"];
        });

        AssertNamesKeyInChinese(failures, "MailIntake:Staff:DigestRecipients:1");
        AssertNamesKeyInChinese(failures, "MailIntake:Archives:ReportRecipients:0");
    }

    [Fact]
    public void Validate_NegativeReceiptLimit_Fails() =>
        AssertNamesKeyInChinese(Failures(options => options.Receipts.MaxPerSenderPerHour = -1), "MailIntake:Receipts:MaxPerSenderPerHour");

    [Fact]
    public void Validate_UnknownTimeZone_FailsWithoutThrowing() =>
        AssertNamesKeyInChinese(Failures(options => options.TimeZone = "Mars/Phobos"), "MailIntake:TimeZone");

    [Fact]
    public void Validate_DataDirectoryIsARegularFile_Fails()
    {
        var file = Path.GetTempFileName();
        try
        {
            AssertNamesKeyInChinese(Failures(options => options.DataDirectory = file), "MailIntake:DataDirectory");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Validate_Defaults_Succeed() => Assert.Empty(Failures(_ => { }));

    [Theory]
    [InlineData("MailIntake:Staff:Members:0:Role", "god", "Staff、Admin")]
    [InlineData("MailIntake:Mailbox:Kind", "Bogus", "Folder、Imap")]
    [InlineData("MailIntake:Staff:DigestTime", "25:00", "08:30")]
    [InlineData("MailIntake:PhoneConfirmation:PromptAfter", "soon", "04:00:00")]
    [InlineData("MailIntake:Smtp:MaxAttempts", "ten", "整數")]
    public void Build_ValueThatCannotBecomeItsType_StopsNamingTheKeyAndWhatItAccepts(string key, string value, string accepted)
    {
        var settings = new Dictionary<string, string?>
        {
            ["MailIntake:DataDirectory"] = Path.Combine(Path.GetTempPath(), "mailintake-settings-" + Guid.NewGuid().ToString("N")),
            ["MailIntake:Staff:Members:0:Email"] = "wang@tainan.gov.tw",
            ["MailIntake:Staff:Members:0:Name"] = "王小明",
            [key] = value,
        };

        var exception = Assert.Throws<OptionsValidationException>(() => AppHost.Build(verbose: false, settings).Dispose());

        var failure = Assert.Single(exception.Failures);
        Assert.StartsWith($"{key} 之值「{value}」無法辨識", failure, StringComparison.Ordinal);
        Assert.Contains(accepted, failure, StringComparison.Ordinal);
    }
}
