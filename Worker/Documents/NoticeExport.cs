namespace MailIntake.Worker.Documents;

/// <summary>A phone confirmation of an emailed reply (以電子郵件方式回復者，應再以電話確認之).</summary>
public sealed record PhoneCall(string By, DateTimeOffset At, string? Note);

/// <summary>What one reply of the organisation brought: the filler, the completion date, the evidence files.</summary>
public sealed record ReplySummary(
    DateTimeOffset ReceivedAt,
    string? From,
    string? FillerName,
    string? FillerPhone,
    string? FillerEmail,
    DateOnly? CompletedOn,
    IReadOnlyList<(string FileName, int? Item, long Size)> Files);

/// <summary>
/// Everything the printed record of a notice shows: the notice as issued, what the organisation
/// returned, the phone confirmations and the tracking evaluation form. Times are printed in
/// <paramref name="Zone"/> (Asia/Taipei in production) so the page does not depend on the server.
/// </summary>
public sealed record NoticeExport(
    NoticeForm Notice,
    string StatusLabel,
    IReadOnlyList<ReplySummary> Replies,
    IReadOnlyList<PhoneCall> PhoneCalls,
    IReadOnlyList<TrackingRound> Rounds,
    TimeZoneInfo Zone);
