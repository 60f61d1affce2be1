using System.Text;
using MailIntake.Worker.Jobs;

namespace MailIntake.Worker.Tests.Jobs;

public sealed class WorkingCalendarTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"holidays-{Guid.NewGuid():N}.csv");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void Load_UtfEightThenBigFiveLine_NamesTheLineAndAsksForOneEncoding()
    {
        var utf8 = Encoding.UTF8.GetBytes("2027-01-01,元旦\n2027-02-16,春節\n");
        var big5 = Encoding.GetEncoding(950).GetBytes("2027-02-17,春節\n");
        File.WriteAllBytes(_path, [.. utf8, .. big5]);

        var error = Assert.Throws<InvalidDataException>(() => WorkingCalendar.Load(_path));

        Assert.Equal($"假日檔 {_path} 第 3 行不是 UTF-8，而前面各行是 UTF-8（整份檔案須為同一種編碼：UTF-8 或 Big5）", error.Message);
    }

    [Fact]
    public void Load_BigFiveFile_ReadsItsHolidays()
    {
        File.WriteAllBytes(_path, Encoding.GetEncoding(950).GetBytes("2027-02-17,春節\n"));

        Assert.False(WorkingCalendar.Load(_path).IsWorkingDay(new DateOnly(2027, 2, 17)));
    }

    /// <summary>
    /// Hostile finding h14h G9: a line not read as a date (「2026-12-17 (四)」, 12/17/2026, 2026-12-32) was dropped without a
    /// word, so the holiday was a working day and a reminder went out on it. It is refused, naming the line.
    /// </summary>
    [Theory]
    [InlineData("2026-12-17 (四)")]
    [InlineData("12/17/2026")]
    [InlineData("2026-12-32")]
    public void Load_LineNotADate_NamesTheLineAndWhatADateLooksLike(string line)
    {
        File.WriteAllText(_path, $"日期\n2026-12-16\n{line}\n\n");

        var error = Assert.Throws<InvalidDataException>(() => WorkingCalendar.Load(_path));

        Assert.Equal($"假日檔 {_path} 第 3 行之第一欄不是日期：「{line}」（請寫 2026-12-17、2026/12/17、20261217 或 115/12/17，一行一個日期；第一行可為欄名）", error.Message);
    }

    [Fact]
    public void Load_PublishedCalendarWithItsHeaderAndBlankLines_ReadsHolidaysAndMakeUpDays()
    {
        File.WriteAllText(_path, "西元日期,星期,是否放假,備註\n20270101,五,2,開國紀念日\n\n20270220,六,0,補行上班\n20270104,一,0,\n");

        var calendar = WorkingCalendar.Load(_path);

        Assert.False(calendar.IsWorkingDay(new DateOnly(2027, 1, 1)));
        Assert.True(calendar.IsWorkingDay(new DateOnly(2027, 2, 20)));
        Assert.True(calendar.IsWorkingDay(new DateOnly(2027, 1, 4)));
    }
}
