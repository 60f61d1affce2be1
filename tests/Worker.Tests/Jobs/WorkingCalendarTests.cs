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
}
