using MailIntake.Storage;
using MailIntake.Worker.Documents;

namespace MailIntake.Worker.Tests.Documents;

/// <summary>
/// The sample notice after a reply, a phone call and three follow-ups: extended to 115/12/20,
/// extended again, then suspended from 116/01/18 after notice on 116/01/11.
/// </summary>
internal static class SampleExport
{
    public static TimeZoneInfo Taipei { get; } = TimeZoneInfo.FindSystemTimeZoneById("Asia/Taipei");

    public static TrackingRound RoundOne { get; } =
        new(1, RoundResult.Extended, new DateOnly(2026, 12, 20), null, "王承辦", new DateOnly(2026, 12, 15), null);

    public static TrackingRound RoundTwo { get; } =
        new(2, RoundResult.Extended, new DateOnly(2027, 1, 8), null, "陳督導", new DateOnly(2026, 12, 21), null);

    public static TrackingRound RoundThree { get; } =
        new(3, RoundResult.Suspended, null, new DateOnly(2027, 1, 18), "林科長", new DateOnly(2027, 1, 11), null);

    public static NoticeExport Full { get; } = With(RoundOne, RoundTwo, RoundThree);

    public static NoticeExport With(params TrackingRound[] rounds) => new(
        SampleNotice.Form,
        "已電話確認",
        [
            new ReplySummary(
                new DateTimeOffset(2026, 12, 2, 2, 15, 0, TimeSpan.Zero),
                "lee@org1.example.tw",
                "李大同",
                "06-2345678",
                "lee@org1.example.tw",
                new DateOnly(2026, 12, 1),
                [("掃毒結果.pdf", 2, 48213), ("firewall.png", 1, 120034), ("說明.txt", null, 512)]),
        ],
        [new PhoneCall("王承辦", new DateTimeOffset(2026, 12, 3, 1, 30, 0, TimeSpan.Zero), "李大同確認已寄出佐證資料")],
        rounds,
        Taipei);
}
