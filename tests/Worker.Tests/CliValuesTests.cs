using MailIntake.Worker.Cli;

namespace MailIntake.Worker.Tests;

public sealed class CliValuesTests
{
    private static readonly TimeZoneInfo Taipei = TimeZoneInfo.FindSystemTimeZoneById("Asia/Taipei");

    [Theory]
    [InlineData("2026-12-10")]
    [InlineData("115/12/10")]
    [InlineData("115.12.10")]
    [InlineData("115年12月10日")]
    [InlineData("中華民國115年12月10日")]
    [InlineData("１１５／１２／１０")]
    public void ParseDate_ContractForms_AreTheSameDay(string text) =>
        Assert.Equal(new DateOnly(2026, 12, 10), CliValues.ParseDate(text, "--deadline"));

    [Fact]
    public void ParseDate_Garbage_IsBadArgumentExitTwo()
    {
        var exception = Assert.Throws<CliException>(() => CliValues.ParseDate("next tuesday", "--deadline"));

        Assert.Equal(2, exception.ExitCode);
        Assert.Contains("--deadline", exception.Message);
    }

    [Fact]
    public void ParseDateTime_WithoutOffset_IsTaipeiTime() =>
        Assert.Equal(
            new DateTimeOffset(2026, 12, 10, 9, 0, 0, TimeSpan.FromHours(8)),
            CliValues.ParseDateTime("2026-12-10T09:00", "--as-of", Taipei));

    [Fact]
    public void ParseDateTime_WithOffset_KeepsIt() =>
        Assert.Equal(
            new DateTimeOffset(2026, 12, 10, 1, 0, 0, TimeSpan.Zero),
            CliValues.ParseDateTime("2026-12-10T01:00:00Z", "--as-of", Taipei));

    [Fact]
    public void Instant_Utc_IsWrittenInTaipeiWithOffset() =>
        Assert.Equal("2026-12-10T09:00:00+08:00", CliValues.Instant(new DateTimeOffset(2026, 12, 10, 1, 0, 0, TimeSpan.Zero), Taipei));
}
