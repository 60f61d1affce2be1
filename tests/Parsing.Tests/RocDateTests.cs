namespace MailIntake.Parsing.Tests;

public class RocDateTests
{
    public static TheoryData<string> December10Forms => new()
    {
        "2026-12-10",
        "2026/12/10",
        "2026.12.10",
        "115/12/10",
        "115.12.10",
        "115-12-10",
        "115年12月10日",
        "民國115年12月10日",
        "中華民國115年12月10日",
        "１１５年１２月１０日",
        "中華民國１１５年１２月１０日",
        "２０２６／１２／１０",
        "115 年 12 月 10 日",
        "中華民國 115 年 12 月 10 日",
        "115 / 12 / 10",
        "  115/12/10  ",
        "2026年12月10日",
    };

    [Theory]
    [MemberData(nameof(December10Forms))]
    public void TryParse_SupportedForm_Returns20261210(string text)
    {
        Assert.True(RocDate.TryParse(text, out DateOnly date));
        Assert.Equal(new DateOnly(2026, 12, 10), date);
    }

    [Theory]
    [InlineData("115/1/5")]
    [InlineData("115年1月5日")]
    [InlineData("2026-1-5")]
    public void TryParse_OneDigitMonthAndDay_Parses(string text)
    {
        Assert.True(RocDate.TryParse(text, out DateOnly date));
        Assert.Equal(new DateOnly(2026, 1, 5), date);
    }

    [Fact]
    public void TryParse_TwoDigitYear_IsRocYear()
    {
        Assert.True(RocDate.TryParse("99/01/01", out DateOnly date));
        Assert.Equal(new DateOnly(2010, 1, 1), date);
    }

    [Theory]
    [InlineData("115/02/30")]
    [InlineData("114/02/29")]
    [InlineData("115/13/01")]
    [InlineData("115/00/10")]
    [InlineData("115/12/00")]
    [InlineData("2026-02-30")]
    [InlineData("000/01/01")]
    public void TryParse_InvalidCalendarDate_ReturnsFalse(string text)
    {
        Assert.False(RocDate.TryParse(text, out _));
    }

    [Fact]
    public void TryParse_RocLeapDay_Parses()
    {
        // ROC 113 is 2024, a leap year.
        Assert.True(RocDate.TryParse("113/02/29", out DateOnly date));
        Assert.Equal(new DateOnly(2024, 2, 29), date);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("XX年XX月XX日")]
    [InlineData("○年○月○日")]
    [InlineData("115/12/10 前")]
    [InlineData("應於115年12月10日前")]
    [InlineData("115/12-10")]
    [InlineData("1/12/10")]
    [InlineData("20261/12/10")]
    [InlineData("115年12月")]
    [InlineData("民國2026年12月10日")]
    [InlineData("115/12/10/1")]
    public void TryParse_NotAWholeDate_ReturnsFalse(string? text)
    {
        Assert.False(RocDate.TryParse(text, out DateOnly date));
        Assert.Equal(default, date);
    }

    [Fact]
    public void Format_Date_WritesFullRocForm()
    {
        Assert.Equal("中華民國115年12月10日", RocDate.Format(new DateOnly(2026, 12, 10)));
    }

    [Fact]
    public void Format_SingleDigitMonthAndDay_IsNotZeroPaddedAsOfficialDocumentsWriteIt()
    {
        Assert.Equal("中華民國115年1月5日", RocDate.Format(new DateOnly(2026, 1, 5)));
    }

    [Fact]
    public void FormatShort_Date_WritesSlashedRocForm()
    {
        Assert.Equal("115/12/10", RocDate.FormatShort(new DateOnly(2026, 12, 10)));
        Assert.Equal("115/01/05", RocDate.FormatShort(new DateOnly(2026, 1, 5)));
    }

    [Fact]
    public void FormatShort_ParsedBack_GivesSameDate()
    {
        var date = new DateOnly(2026, 3, 7);
        Assert.True(RocDate.TryParse(RocDate.FormatShort(date), out DateOnly parsed));
        Assert.True(RocDate.TryParse(RocDate.Format(date), out DateOnly parsedLong));
        Assert.Equal(date, parsed);
        Assert.Equal(date, parsedLong);
    }

    [Theory]
    [InlineData(2026, 115)]
    [InlineData(1912, 1)]
    [InlineData(2010, 99)]
    public void ToRocYear_GregorianDate_SubtractsEpoch(int year, int rocYear)
    {
        Assert.Equal(rocYear, RocDate.ToRocYear(new DateOnly(year, 6, 1)));
    }

    [Fact]
    public void ToRocYear_BeforeRepublic_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RocDate.ToRocYear(new DateOnly(1911, 12, 31)));
    }

    [Theory]
    [InlineData("1911年12月31日")]
    [InlineData("0115/12/20")]
    [InlineData("0115年12月1日")]
    [InlineData("1900-01-01")]
    [InlineData("0001-01-01")]
    public void TryParse_YearBefore1912_ReturnsFalse(string text)
    {
        // No ROC year exists before 1912: such a "date" is a typo (a ROC year with a leading zero), never read as a date.
        Assert.False(RocDate.TryParse(text, out _));
    }

    [Fact]
    public void TryParse_FirstDayOfTheRepublic_Parses()
    {
        Assert.True(RocDate.TryParse("1912-01-01", out DateOnly date));
        Assert.Equal("中華民國1年1月1日", RocDate.Format(date));
    }

    [Fact]
    public void Format_DateBefore1912_WritesMinguoQianInsteadOfThrowing()
    {
        Assert.Equal("民國前1年12月31日", RocDate.Format(new DateOnly(1911, 12, 31)));
        Assert.Equal("民國前1797年12月20日", RocDate.Format(new DateOnly(115, 12, 20)));
    }
}
