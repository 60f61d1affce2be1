using MailIntake.Storage;
using MailIntake.Worker.Application;

namespace MailIntake.Worker.Tests.Application;

/// <summary>
/// h10z C: the same <c>notice issue</c> run twice (or the same 開立 mail sent twice) mailed the organisation a second
/// notice for the one incident, whose reminders then said nothing was received. A second notice while the first is open
/// is refused naming it, unless asked again on purpose.
/// </summary>
public sealed class IssueNoticeTests : IDisposable
{
    private static readonly DateOnly From = new(2026, 11, 20);
    private static readonly DateOnly To = new(2026, 11, 25);
    private readonly WorkerHarness _harness = new(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(8)));

    [Fact]
    public async Task ExecuteAsync_SameIncidentWhileItsNoticeIsOpen_RefusedNamingItAndNothingWritten()
    {
        var first = _harness.IssueNotice(new DateOnly(2026, 12, 20));

        var refusal = await Assert.ThrowsAsync<NoticeRuleException>(() => IssueAsync(["203.0.113.9"], first.IncidentFrom, first.IncidentTo));

        Assert.Equal((NoticeRuleCode.SameIncidentOpen, first.Reference), (refusal.Code, refusal.Subject));
        Assert.Single(_harness.Get<NoticeRepository>().List());
    }

    [Fact]
    public async Task ExecuteAsync_SameMaliciousAddressesInAnotherOrder_IsTheSameIncident()
    {
        await IssueAsync(["203.0.113.9", "198.51.100.7"], From, To);

        var refusal = await Assert.ThrowsAsync<NoticeRuleException>(() => IssueAsync(["198.51.100.7", "203.0.113.9"], From, To));

        Assert.Equal(NoticeRuleCode.SameIncidentOpen, refusal.Code);
    }

    [Fact]
    public async Task ExecuteAsync_SameIncidentAskedAgainOnPurpose_IssuesASecondNotice()
    {
        var first = await IssueAsync(["203.0.113.9"], From, To);

        var second = await IssueAsync(["203.0.113.9"], From, To, again: true);

        Assert.NotEqual(first.Reference, second.Reference);
    }

    [Fact]
    public async Task ExecuteAsync_AnotherPeriodOfTheSameComputer_IsAnotherIncident()
    {
        await IssueAsync(["203.0.113.9"], From, To);

        var other = await IssueAsync(["203.0.113.9"], To.AddDays(1), To.AddDays(3));

        Assert.Equal(2, _harness.Get<NoticeRepository>().List().Count);
        Assert.Equal(To.AddDays(1), other.IncidentFrom);
    }

    public void Dispose() => _harness.Dispose();

    private async Task<Notice> IssueAsync(string[] maliciousIps, DateOnly from, DateOnly to, bool again = false)
    {
        if (_harness.Get<OrganisationRepository>().Find("XC12345678") is null)
        {
            _harness.Get<OrganisationRepository>().Upsert([new Organisation("XC12345678", "台南市測試公會", ["org1@intake.test"], "06-1234567", "李大同")], _harness.Time.GetUtcNow());
        }

        var command = new IssueNoticeCommand("XC12345678", "10.1.2.3", maliciousIps, from, to, new DateOnly(2026, 12, 20), null, Send: false, again);
        return (await _harness.Get<IssueNotice>().ExecuteAsync(command, CancellationToken.None)).Notice;
    }
}
