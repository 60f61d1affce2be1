using MailIntake.Storage;

namespace MailIntake.Worker.Application;

/// <summary>Why a completion date a reply states cannot be true.</summary>
public enum CompletionDateDoubt
{
    /// <summary>After the day the center received the reply.</summary>
    AfterReceived,

    /// <summary>Before the day the notice was issued.</summary>
    BeforeIssued,
}

/// <summary>
/// Dates a reply states that cannot be true: a completion date after the day the center received the reply, or before
/// the day the notice was issued. Such a date is kept as written, never told back as fact, and shown to staff as doubtful.
/// </summary>
public static class ReplyDates
{
    /// <summary>Why the reply's completion date is doubtful, or null when it is possible or absent.</summary>
    public static CompletionDateDoubt? Completion(Notice notice, Reply reply, TimeZoneInfo zone) =>
        reply.CompletedOn is not { } done ? null
        : done > LocalDate(reply.ReceivedAt, zone) ? CompletionDateDoubt.AfterReceived
        : done < LocalDate(notice.IssuedAt, zone) ? CompletionDateDoubt.BeforeIssued
        : null;

    /// <summary>Why the reply's completion date is doubtful (zh-TW), or null when it is possible or absent.</summary>
    public static string? CompletionDoubt(Notice notice, Reply reply, TimeZoneInfo zone) => Completion(notice, reply, zone) switch
    {
        CompletionDateDoubt.AfterReceived
            => $"所填完成改善日期{Labels.Date(reply.CompletedOn!.Value)}晚於本中心收件日{Labels.Date(LocalDate(reply.ReceivedAt, zone))}",
        CompletionDateDoubt.BeforeIssued
            => $"所填完成改善日期{Labels.Date(reply.CompletedOn!.Value)}早於限期改善單開立日{Labels.Date(LocalDate(notice.IssuedAt, zone))}",
        _ => null,
    };

    /// <summary>The completion date for people: the date, what was written when it reads as no date, or 「（未填）」.</summary>
    public static string CompletionText(Reply reply) =>
        reply.CompletedOn is { } done ? Labels.Date(done)
        : reply.CompletedOnUnreadable is { } written ? $"填寫「{written}」，無法辨識為日期（日期有疑義，請與機關確認）"
        : "（未填）";

    private static DateOnly LocalDate(DateTimeOffset instant, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);
}
