using MailIntake.Parsing.StaffActions;

namespace MailIntake.Parsing.Tests.StaffActions;

public sealed class ActionTokenTests
{
    private static readonly ActionToken Sample = new("as", "12-3", DateTimeOffset.FromUnixTimeSeconds(1_797_000_000), "abcdefgh", "abcdefghijklmnopqrstuvwxyz");

    [Fact]
    public void ToString_ThenTryParse_GivesTheSameToken()
    {
        Assert.True(ActionToken.TryParse(Sample.ToString(), out var parsed));

        Assert.Equal(Sample, parsed);
        Assert.StartsWith("MI1.as.12-3.", Sample.ToString(), StringComparison.Ordinal);
        Assert.True(Sample.ToString().Length <= 64, Sample.ToString());
    }

    [Fact]
    public void TryParse_UpperCaseOrFullWidth_ReadsTheSameToken()
    {
        var text = Sample.ToString().ToUpperInvariant();
        var fullWidth = string.Concat(text.Select(c => (char)(c + 0xFEE0)));

        Assert.True(ActionToken.TryParse(text, out var upper));
        Assert.True(ActionToken.TryParse(fullWidth, out var wide));
        Assert.Equal(Sample, upper);
        Assert.Equal(Sample, wide);
    }

    [Theory]
    [InlineData("MI1.as.12-3.tqzlr4.abcdefgh.abcdefghijklmnopqrstuvwxy")]   // MAC one short
    [InlineData("MI1.as.12-3.tqzlr4.abcdefg1.abcdefghijklmnopqrstuvwxyz")]  // 1 is not base 32
    [InlineData("MI2.as.12-3.tqzlr4.abcdefgh.abcdefghijklmnopqrstuvwxyz")]  // unknown version
    [InlineData("MI1.as.12-3.zzzzzzzzzzzz.abcdefgh.abcdefghijklmnopqrstuvwxyz")] // expiry beyond any date
    [InlineData("text MI1.as.12-3.tqzlr4.abcdefgh.abcdefghijklmnopqrstuvwxyz")]
    public void TryParse_Malformed_IsFalse(string text)
    {
        Assert.False(ActionToken.TryParse(text, out _));
    }
}
