using System.Text;

namespace MailIntake.Parsing.Tests;

public class ArrivalTimeTests
{
    private static readonly DateTimeOffset Stamped = new(2026, 12, 18, 10, 0, 0, TimeSpan.FromHours(8));

    private static MimeKit.HeaderList Headers(params string[] received) =>
        MailParserOptions.LoadHeaders(new MemoryStream(Encoding.ASCII.GetBytes(
            string.Concat(received.Select(line => $"Received: {line}\r\n")) + "From: a@example.org\r\nSubject: x\r\n\r\nbody\r\n")));

    [Fact]
    public void Bounded_ServerArrivalShortlyAfterTheLastRelay_IsKept()
    {
        var reported = Stamped.AddMinutes(1);

        Assert.Equal(reported, ArrivalTime.Bounded(reported, Headers(
            "from mx.org1.example.tw by mx.tainan.gov.tw; Fri, 18 Dec 2026 10:00:00 +0800",
            "from pc by mx.org1.example.tw; Fri, 18 Dec 2026 09:59:58 +0800")));
    }

    [Fact]
    public void Bounded_ServerArrivalDaysBeforeTheNewestReceived_IsThatReceived()
    {
        // A migration or an APPEND that set a wrong INTERNALDATE: the mail cannot have been stored before it was relayed.
        Assert.Equal(Stamped, ArrivalTime.Bounded(Stamped.AddDays(-3), Headers(
            "from pc by mx.org1.example.tw; Fri, 18 Dec 2026 09:59:58 +0800",
            "from mx.org1.example.tw by mx.tainan.gov.tw; Fri, 18 Dec 2026 10:00:00 +0800")));
    }

    [Fact]
    public void Bounded_ClocksDifferingWithinTheTolerance_KeepsTheServersArrival()
    {
        var reported = Stamped - ArrivalTime.Tolerance + TimeSpan.FromMinutes(1);

        Assert.Equal(reported, ArrivalTime.Bounded(reported, Headers("from relay by mx; Fri, 18 Dec 2026 10:00:00 +0800")));
    }

    [Fact]
    public void Bounded_NoReceivedOrAnUnreadableDate_KeepsTheServersArrival()
    {
        var reported = Stamped.AddDays(-3);

        Assert.Equal(reported, ArrivalTime.Bounded(reported, Headers()));
        Assert.Equal(reported, ArrivalTime.Bounded(reported, Headers("from relay by mx; not a date", "from relay by mx")));
    }
}
