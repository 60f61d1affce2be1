using MailIntake.Worker.Application;

namespace MailIntake.Worker.Tests.Application;

public sealed class RequestChecksTests
{
    private static readonly DateOnly Today = new(2026, 12, 1);

    private static NoticeRuleCode Refused(Action action) => Assert.Throws<NoticeRuleException>(action).Code;

    [Theory]
    [InlineData("010.001.002.003")]
    [InlineData("10.01.2.3")]
    [InlineData("10.1.2")]
    [InlineData("10.1.2.3.4")]
    [InlineData("0x0A.1.2.3")]
    [InlineData("evil.example")]
    [InlineData("fe80::1%eth0")]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    [InlineData("255.255.255.255")]
    [InlineData("224.0.0.1")]
    [InlineData("ff02::1")]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("::ffff:0.0.0.0")]
    public void IpAddress_AmbiguousIncompleteOrNoOneComputer_IsNull(string text) => Assert.Null(RequestChecks.IpAddress(text));

    [Theory]
    [InlineData("10.1.2.3", "10.1.2.3")]
    [InlineData(" 10.0.0.1 ", "10.0.0.1")]
    [InlineData("１０.１.１.１", "10.1.1.1")]
    [InlineData("2001:DB8:0:0:0:0:0:1", "2001:db8::1")]
    [InlineData("::ffff:10.1.1.1", "10.1.1.1")]
    [InlineData("::FFFF:a01:101", "10.1.1.1")]
    public void IpAddress_FullAddress_IsCanonical(string text, string expected) => Assert.Equal(expected, RequestChecks.IpAddress(text));

    [Fact]
    public void Addresses_MaliciousEqualsHost_IsRefused() =>
        Assert.Equal(NoticeRuleCode.MaliciousIpIsHostIp, Refused(() => RequestChecks.Addresses("10.1.2.3", ["203.0.113.9", "10.1.2.3"])));

    /// <summary>h10x #23: the host written as an IPv4-mapped IPv6 address was not seen to equal the malicious IPv4 one.</summary>
    [Fact]
    public void Addresses_MaliciousEqualsHostWrittenAsIpv4MappedIpv6_IsRefused() =>
        Assert.Equal(NoticeRuleCode.MaliciousIpIsHostIp, Refused(() => RequestChecks.Addresses("::ffff:10.1.1.1", ["10.1.1.1"])));

    [Fact]
    public void Addresses_MoreThanFiftyMalicious_IsRefused()
    {
        var many = Enumerable.Range(1, RequestChecks.MaxMaliciousIps + 1).Select(i => $"203.0.{i / 250}.{i % 250}").ToList();

        Assert.Equal(NoticeRuleCode.TooManyMaliciousIps, Refused(() => RequestChecks.Addresses("10.1.2.3", many)));
    }

    [Fact]
    public void Addresses_RepeatedMalicious_AreKeptOnceInCanonicalForm()
    {
        var (host, malicious) = RequestChecks.Addresses("2001:DB8::5", ["203.0.113.9", "203.0.113.9", "2001:DB8::1"]);

        Assert.Equal("2001:db8::5", host);
        Assert.Equal(["203.0.113.9", "2001:db8::1"], malicious);
    }

    [Theory]
    [InlineData("2026-11-01", "2026-12-02", NoticeRuleCode.IncidentInFuture)]
    [InlineData("2026-12-25", "2026-12-26", NoticeRuleCode.IncidentInFuture)]
    [InlineData("1999-01-01", "2026-11-15", NoticeRuleCode.IncidentTooOld)]
    [InlineData("2025-11-30", "2026-11-15", NoticeRuleCode.IncidentTooOld)]
    [InlineData("2026-11-15", "2026-11-01", NoticeRuleCode.IncidentPeriodReversed)]
    public void IncidentPeriod_NotAPastPeriodOfTheLastYear_IsRefused(string from, string to, NoticeRuleCode code) =>
        Assert.Equal(code, Refused(() => RequestChecks.IncidentPeriod(DateOnly.Parse(from), DateOnly.Parse(to), Today)));

    [Fact]
    public void IncidentPeriod_UpToTodayAndAYearBack_IsAccepted() =>
        RequestChecks.IncidentPeriod(new DateOnly(2025, 12, 1), Today, Today);

    [Fact]
    public void Deadline_Today_IsRefusedTomorrowAccepted()
    {
        Assert.Equal(NoticeRuleCode.DeadlineNotAfterToday, Refused(() => RequestChecks.Deadline(Today, Today)));
        RequestChecks.Deadline(Today.AddDays(1), Today);
    }

    [Fact]
    public void SuspendFrom_BeforeTodayOrOverAYearAhead_IsRefusedTodayAccepted()
    {
        Assert.Equal(NoticeRuleCode.SuspendFromInPast, Refused(() => RequestChecks.SuspendFrom("TN-115-0001", Today.AddDays(-1), Today)));
        Assert.Equal(NoticeRuleCode.SuspendFromTooFar, Refused(() => RequestChecks.SuspendFrom("TN-115-0001", Today.AddYears(1).AddDays(1), Today)));
        RequestChecks.SuspendFrom("TN-115-0001", Today, Today);
    }

    [Theory]
    [InlineData("張\n專員")]
    [InlineData("張\t專員")]
    [InlineData("張\u2028專員")]
    [InlineData("張\u202E員專")]
    [InlineData("張專員張專員張專員張專員張專員張專員張專員張專員張專員張專員張專員張專員張專員張專員張專員張專員張專員張專員")]
    public void Tracker_NotOneShortLine_IsRefused(string by) =>
        Assert.Equal(NoticeRuleCode.TrackerInvalid, Refused(() => RequestChecks.Tracker(by)));

    [Fact]
    public void Note_OverTwoThousandCharactersOrSeveralLines_IsRefused()
    {
        Assert.Equal(NoticeRuleCode.NoteInvalid, Refused(() => RequestChecks.Note(new string('長', 30_000))));
        Assert.Equal(NoticeRuleCode.NoteInvalid, Refused(() => RequestChecks.Note("第一行\r\n第二行")));
        Assert.Equal(new string('長', RequestChecks.MaxNoteLength), RequestChecks.Note(new string('長', RequestChecks.MaxNoteLength)));
        Assert.Null(RequestChecks.Note("  "));
    }

    [Fact]
    public void Reason_WithControlCharacters_IsRefused() =>
        Assert.Equal(NoticeRuleCode.ReasonInvalid, Refused(() => RequestChecks.Reason("垃圾\0郵件")));

    [Fact]
    public void Items_TooManyOrWithControlCharacters_IsRefused()
    {
        Assert.Equal(NoticeRuleCode.ItemsInvalid, Refused(() => RequestChecks.Items(Enumerable.Repeat("請說明", RequestChecks.MaxItems + 1).ToList())));
        Assert.Equal(NoticeRuleCode.ItemsInvalid, Refused(() => RequestChecks.Items(["請說明連線原因", "請提供\u0007掃毒紀錄"])));
        Assert.Equal(["請說明連線原因"], RequestChecks.Items([" 請說明連線原因 ", ""]));
    }
}
