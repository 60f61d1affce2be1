using MailIntake.Storage;

namespace MailIntake.Worker.Application;

/// <summary>
/// Dates a reply states that cannot be true: a completion date after the day the center received the reply, or before
/// the day the notice was issued. Such a date is kept as written, never told back as fact, and shown to staff as doubtful.
/// </summary>
public static class ReplyDates
{
    /// <summary>Why the reply's completion date is doubtful (zh-TW), or null when it is possible or absent.</summary>
    public static string? CompletionDoubt(Notice notice, Reply reply, TimeZoneInfo zone)
    {
        if (reply.CompletedOn is not { } done)
        {
            return null;
        }

        if (done > LocalDate(reply.ReceivedAt, zone))
        {
            return $"所填完成改善日期{Labels.Date(done)}晚於本中心收件日{Labels.Date(LocalDate(reply.ReceivedAt, zone))}";
        }

        return done < LocalDate(notice.IssuedAt, zone)
            ? $"所填完成改善日期{Labels.Date(done)}早於限期改善單開立日{Labels.Date(LocalDate(notice.IssuedAt, zone))}"
            : null;
    }

    private static DateOnly LocalDate(DateTimeOffset instant, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);
}
