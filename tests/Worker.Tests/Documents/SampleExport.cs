using MailIntake.Parsing;
using MailIntake.Storage;
using MailIntake.Worker.Application;
using MailIntake.Worker.Documents;

namespace MailIntake.Worker.Tests.Documents;

/// <summary>
/// The sample notice after a reply, a phone call and three follow-ups: extended to 115/12/20,
/// extended again, then suspended from 116/01/18 after notice on 116/01/11.
/// </summary>
internal static class SampleExport
{
    public static TimeZoneInfo Taipei { get; } = TimeZoneInfo.FindSystemTimeZoneById("Asia/Taipei");

    public static FollowUp RoundOne { get; } =
        new(1, RoundResult.Extended, new DateOnly(2026, 12, 20), null, "王承辦", TaipeiMorning(2026, 12, 15), null);

    public static FollowUp RoundTwo { get; } =
        new(2, RoundResult.Extended, new DateOnly(2027, 1, 8), null, "陳督導", TaipeiMorning(2026, 12, 21), null);

    public static FollowUp RoundThree { get; } =
        new(3, RoundResult.Suspended, null, new DateOnly(2027, 1, 18), "林科長", TaipeiMorning(2027, 1, 11), null);

    public static NoticeExport Full => With(RoundOne, RoundTwo, RoundThree);

    /// <summary>10:00 in Taipei on that day: the tracking date the form prints.</summary>
    public static DateTimeOffset TaipeiMorning(int year, int month, int day) => new(year, month, day, 10, 0, 0, TimeSpan.FromHours(8));

    public static Reply Reply { get; } = new(
        MailId: 7,
        NoticeId: 1,
        MessageId: "<reply-1@org1.example.tw>",
        From: "lee@org1.example.tw",
        ReceivedAt: new DateTimeOffset(2026, 12, 2, 2, 15, 0, TimeSpan.Zero),
        MatchedBy: MatchMethod.Reference,
        FillerName: "李大同",
        FillerPhone: "06-2345678",
        FillerEmail: "lee@org1.example.tw",
        CompletedOn: new DateOnly(2026, 12, 1),
        Evidence:
        [
            Evidence("掃毒結果.pdf", 2, 48213),
            Evidence("firewall.png", 1, 120034),
            Evidence("說明.txt", null, 512),
        ],
        Answers: [new ItemAnswer(1, "經查係員工開啟釣魚郵件所致，已由防火牆設定阻擋規則。"), new ItemAnswer(2, "已全機掃毒，未發現惡意程式。")],
        FormReturned: true);

    /// <summary>The sample with its one reply replaced by <paramref name="reply"/>.</summary>
    public static NoticeExport WithReply(Reply reply) => Full with { Detail = Full.Detail with { Replies = [reply] } };

    public static NoticeExport With(params FollowUp[] rounds) => With(Reply, rounds);

    public static NoticeExport With(Reply reply, params FollowUp[] rounds) => new(
        SampleNotice.Form,
        new NoticeDetail(
            Notice,
            // A suspension round's notice was queued to the organisation with it (the form says it was notified).
            // The suspension notice left when the round was recorded: the form says the organisation was notified then.
            rounds.LastOrDefault(round => round.Result == RoundResult.Suspended) is { } suspended ? [SuspensionMail with { SentAt = suspended.At }] : [],
            [reply],
            [new PhoneConfirmation(7, "王承辦", new DateTimeOffset(2026, 12, 3, 1, 30, 0, TimeSpan.Zero), "李大同確認已寄出佐證資料")],
            rounds,
            []),
        Taipei);

    private static Notice Notice { get; } = new(
        1, SampleNotice.Form.Reference, SampleNotice.Form.OrgCode, SampleNotice.Form.OrgName, NoticeStatus.Confirmed,
        SampleNotice.Form.HostIp, SampleNotice.Form.MaliciousIps, SampleNotice.Form.IncidentFrom, SampleNotice.Form.IncidentTo,
        Deadline: new DateOnly(2027, 1, 8), DeadlineIssued: SampleNotice.Form.Deadline, SampleNotice.Form.Items,
        new DateTimeOffset(2026, 11, 27, 1, 0, 0, TimeSpan.Zero));

    private static OutboundMail SuspensionMail { get; } = new(
        9, OutboundKind.Suspension, 1, ["org1@example.tw"], "【中止交換服務通知】", "suspension:" + SampleNotice.Form.Reference, "s@intake.test", "outbound/s.eml",
        OutboundStatus.Sent, 1, new DateTimeOffset(2027, 1, 11, 1, 0, 0, TimeSpan.Zero), null, new DateTimeOffset(2027, 1, 11, 1, 0, 0, TimeSpan.Zero), []);

    private static StoredEvidence Evidence(string name, int? item, long size) =>
        new(7, name, new string('a', 64), size, item, [], $"evidence/aa/{new string('a', 64)}.bin");
}
