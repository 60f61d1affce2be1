using MailIntake.Parsing;
using MailIntake.Worker.Application;

namespace MailIntake.Worker.Jobs;

/// <summary>
/// Government office working days: Monday to Friday, minus the holidays of the admin-supplied calendar,
/// plus its make-up working days (補班) that fall on a weekend.
/// </summary>
public sealed class WorkingCalendar(IReadOnlySet<DateOnly> holidays, IReadOnlySet<DateOnly> workingWeekendDays)
{
    public static readonly WorkingCalendar WeekdaysOnly = new(new HashSet<DateOnly>(), new HashSet<DateOnly>());

    public bool IsWorkingDay(DateOnly day) =>
        workingWeekendDays.Contains(day) || (day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !holidays.Contains(day));

    /// <summary>The day itself when it is a working day, else the working day before it.</summary>
    public DateOnly OnOrBefore(DateOnly day)
    {
        while (!IsWorkingDay(day))
        {
            day = day.AddDays(-1);
        }

        return day;
    }

    /// <summary>The day itself when it is a working day, else the working day after it (期間之末日為休息日者，以其次日為末日).</summary>
    public DateOnly OnOrAfter(DateOnly day)
    {
        while (!IsWorkingDay(day))
        {
            day = day.AddDays(1);
        }

        return day;
    }

    /// <summary>The working days after <paramref name="day"/>, counting <paramref name="count"/> of them.</summary>
    public DateOnly AddWorkingDays(DateOnly day, int count)
    {
        while (count > 0)
        {
            day = day.AddDays(1);
            count -= IsWorkingDay(day) ? 1 : 0;
        }

        return day;
    }

    /// <summary>
    /// Reads the holiday CSV. Either one date a line (every date listed is a holiday), or the government office
    /// calendar as published on data.gov.tw (columns 西元日期 … 是否放假 with 2 = holiday, 0 = working day), which
    /// also names the make-up working days on Saturdays. The first line may name the columns; blank lines are skipped; any
    /// other line whose first field is not a date is refused (<see cref="InvalidDataException"/> naming it); a file that is
    /// missing, not a regular file or over <see cref="NamedInputFile.SmallTextLimit"/> too (<see cref="NamedInputFileException"/>).
    /// </summary>
    public static WorkingCalendar Load(string path)
    {
        var holidays = new HashSet<DateOnly>();
        var working = new HashSet<DateOnly>();
        var decoded = Utf8OrBig5.Decode(NamedInputFile.Read(path, NamedInputFile.SmallTextLimit));
        var lines = (decoded.Text ?? throw new InvalidDataException($"假日檔 {path} {EncodingText.Invalid(decoded)}"))
            .Split('\n');
        var header = lines.FirstOrDefault()?.Split(',').Select(field => field.Trim().Trim('"')).ToList() ?? [];
        var holidayColumn = header.FindIndex(field => field.Contains("是否放假", StringComparison.Ordinal));
        foreach (var (line, index) in lines.Select((line, index) => (line, index)))
        {
            var fields = line.Split(',').Select(field => field.Trim().Trim('"')).ToArray();
            if (fields.All(string.IsNullOrWhiteSpace) || (index == 0 && !fields[0].Any(char.IsAsciiDigit)))
            {
                continue; // a blank line, or the first line naming the columns
            }

            // A line not read as a date is refused, never dropped: dropped, its holiday was a working day and a reminder
            // went out on it (h14h G9).
            if (!TryParseDate(fields[0], out var day))
            {
                throw new InvalidDataException(
                    $"假日檔 {path} 第 {index + 1} 行之第一欄不是日期：「{fields[0]}」（請寫 2026-12-17、2026/12/17、20261217 或 115/12/17，一行一個日期；第一行可為欄名）");
            }

            if (holidayColumn < 0 || holidayColumn >= fields.Length)
            {
                holidays.Add(day);
            }
            else if (fields[holidayColumn] == "2")
            {
                holidays.Add(day);
            }
            else if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
            {
                working.Add(day);
            }
        }

        return new WorkingCalendar(holidays, working);
    }

    private static bool TryParseDate(string text, out DateOnly day)
    {
        // The published calendar writes 20260101.
        if (text.Length == 8 && text.All(char.IsAsciiDigit))
        {
            return DateOnly.TryParseExact(text, "yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out day);
        }

        return RocDate.TryParse(text, out day);
    }
}
