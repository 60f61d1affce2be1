using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MailIntake.Worker.Tests;

public sealed class ConfiguredClockTests
{
    private static Dictionary<string, string?> Settings(string? offset) => new()
    {
        ["MailIntake:DataDirectory"] = Path.Combine(Path.GetTempPath(), "mailintake-clock-" + Guid.NewGuid().ToString("N")),
        ["MailIntake:Clock:Offset"] = offset,
    };

    [Fact]
    public void Build_ClockOffset_ShiftsTheProgramsClockByThatMuch()
    {
        using var host = AppHost.Build(verbose: false, Settings("-45.00:00:00"));

        var shifted = host.Services.GetRequiredService<TimeProvider>().GetUtcNow() - DateTimeOffset.UtcNow;

        // The two reads are a moment apart: the shift is 45 days, give or take that moment.
        Assert.InRange(shifted, TimeSpan.FromDays(-45) - TimeSpan.FromMinutes(10), TimeSpan.FromDays(-45) + TimeSpan.FromMinutes(10));
    }

    [Fact]
    public void Build_NoClockOffset_UsesTheRealClock()
    {
        using var host = AppHost.Build(verbose: false, Settings(null));

        Assert.Same(TimeProvider.System, host.Services.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public void Build_ClockOffsetNotATimeSpan_RefusesWithOneLineNamingTheKey()
    {
        var exception = Assert.Throws<OptionsValidationException>(() => AppHost.Build(verbose: false, Settings("next week")));

        var failure = Assert.Single(exception.Failures);
        Assert.Contains("Clock:Offset", failure, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', failure);
    }
}
