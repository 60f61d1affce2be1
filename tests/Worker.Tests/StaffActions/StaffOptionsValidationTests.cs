using MailIntake.Worker.Options;

namespace MailIntake.Worker.Tests.StaffActions;

public sealed class StaffOptionsValidationTests
{
    private static MailIntakeOptions With(Action<StaffOptions> configure)
    {
        var options = new MailIntakeOptions { Smtp = new SmtpOptions { From = "center@example.tw" } };
        configure(options.Staff);
        return options;
    }

    private static IReadOnlyList<string> Failures(MailIntakeOptions options) =>
        new MailIntakeOptionsValidator().Validate(null, options).Failures?.ToList() ?? [];

    [Fact]
    public void Validate_Defaults_SucceedWithFourteenDayLinks()
    {
        var options = With(_ => { });

        Assert.Empty(Failures(options));
        Assert.Equal(TimeSpan.FromDays(14), options.Staff.ActionLinkValidity);
    }

    [Theory]
    [InlineData("王小明 <wang@center.example.tw>")]
    [InlineData("wang")]
    [InlineData("")]
    public void Validate_MemberEmailNotBare_FailsNamingTheKey(string email)
    {
        var failures = Failures(With(staff => staff.Members.Add(new StaffMember { Email = email, Name = "王小明" })));

        Assert.Contains(failures, failure => failure.StartsWith("MailIntake:Staff:Members:0:Email", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_MemberWithoutNameOrListedTwice_FailsNamingTheKeys()
    {
        var failures = Failures(With(staff =>
        {
            staff.Members.Add(new StaffMember { Email = "wang@center.example.tw", Name = " " });
            staff.Members.Add(new StaffMember { Email = "Wang@center.example.tw", Name = "王小明" });
        }));

        Assert.Contains(failures, failure => failure.StartsWith("MailIntake:Staff:Members:0:Name", StringComparison.Ordinal));
        Assert.Contains(failures, failure => failure.StartsWith("MailIntake:Staff:Members:1:Email", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ShortActionKey_FailsNamingTheKey()
    {
        Assert.Contains(Failures(With(staff => staff.ActionKey = "short")), failure => failure.StartsWith("MailIntake:Staff:ActionKey", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(400 * 24)]
    public void Validate_ActionLinkValidityOutOfRange_FailsNamingTheKey(double hours)
    {
        Assert.Contains(Failures(With(staff => staff.ActionLinkValidity = TimeSpan.FromHours(hours))),
            failure => failure.StartsWith("MailIntake:Staff:ActionLinkValidity", StringComparison.Ordinal));
    }

    [Fact]
    public void FindMember_AnyCase_FindsTheMember()
    {
        var staff = new StaffOptions { Members = [new StaffMember { Email = "wang@center.example.tw", Name = "王小明", Role = StaffRole.Admin }] };

        Assert.Equal("王小明", staff.FindMember("WANG@center.example.tw")?.Name);
        Assert.Null(staff.FindMember("lin@center.example.tw"));
    }
}
