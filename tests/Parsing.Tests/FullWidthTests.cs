namespace MailIntake.Parsing.Tests;

public class FullWidthTests
{
    [Fact]
    public void ToHalfWidth_FullWidthDigits_BecomeAsciiDigits()
    {
        Assert.Equal("115年12月10日", FullWidth.ToHalfWidth("１１５年１２月１０日"));
    }

    [Fact]
    public void ToHalfWidth_FullWidthPunctuationAndLetters_BecomeAscii()
    {
        Assert.Equal("填寫人:李大同/06-2345678/lee@x.org.tw", FullWidth.ToHalfWidth("填寫人：李大同／０６－２３４５６７８／ｌｅｅ＠ｘ．ｏｒｇ．ｔｗ"));
    }

    [Fact]
    public void ToHalfWidth_RangeBoundaries_MapToExclamationAndTilde()
    {
        Assert.Equal("!~", FullWidth.ToHalfWidth("\uFF01\uFF5E"));
    }

    [Fact]
    public void ToHalfWidth_IdeographicSpace_BecomesSpace()
    {
        Assert.Equal("李 大同", FullWidth.ToHalfWidth("李\u3000大同"));
    }

    [Fact]
    public void ToHalfWidth_CharactersOutsideRange_AreKept()
    {
        // U+FF5F (full-width white parenthesis) and U+FF61 (half-width katakana) are not ASCII forms.
        Assert.Equal("\uFF5F\uFF61中文。", FullWidth.ToHalfWidth("\uFF5F\uFF61中文。"));
    }

    [Fact]
    public void ToHalfWidth_NothingToChange_ReturnsSameInstance()
    {
        string text = "plain ASCII and 中文";
        Assert.Same(text, FullWidth.ToHalfWidth(text));
    }

    [Fact]
    public void ToHalfWidth_EmptyString_ReturnsEmpty()
    {
        Assert.Equal(string.Empty, FullWidth.ToHalfWidth(string.Empty));
    }

    [Fact]
    public void ToHalfWidth_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => FullWidth.ToHalfWidth(null!));
    }
}
