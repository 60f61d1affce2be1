using MailIntake.Storage;

namespace MailIntake.Worker.Application;

/// <summary>
/// The calls tried for a reply as a phone prompt and the digest say them — when, who, the result and its note — and a
/// warning once a call found the number itself wrong, so the next caller does not dial it again.
/// </summary>
public static class PhoneAttemptText
{
    public static string List(IReadOnlyList<PhoneConfirmation> calls, Func<DateTimeOffset, string> moment) =>
        calls.Count == 0
            ? "尚未致電"
            : string.Join("；", calls.Select(call => $"{moment(call.At)} {call.By} {Labels.Phone(call.Result)}"
                                                    + (string.IsNullOrWhiteSpace(call.Note) ? "" : $"（{call.Note}）")));

    /// <summary>Null unless a call was recorded 電話號碼錯誤.</summary>
    public static string? WrongNumber(IReadOnlyList<PhoneConfirmation> calls) =>
        calls.Any(call => call.Result == PhoneResult.WrongNumber)
            ? "⚠ 曾記錄「電話號碼錯誤」：請先查明機關正確之電話（並更正機關登記資料），勿再撥打同一號碼"
            : null;
}
