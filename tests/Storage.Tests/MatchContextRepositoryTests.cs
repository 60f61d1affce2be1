using Dapper;

namespace MailIntake.Storage.Tests;

/// <summary>The kept context must never be stale: each change the matcher depends on is seen by the next Load.</summary>
public sealed class MatchContextRepositoryTests : IDisposable
{
    private readonly TempDatabase _temp = new();
    private readonly MatchContextRepository _repository;

    public MatchContextRepositoryTests()
    {
        _repository = new MatchContextRepository(_temp.Database);
        _temp.AddOrganisation("XC12345678", "it@org1.example.tw");
    }

    [Fact]
    public void Load_NothingChanged_ReturnsTheKeptContext()
    {
        _temp.AddNotice();

        var first = _repository.Load();
        var second = _repository.Load();

        Assert.Same(first, second);
    }

    [Fact]
    public void Load_NoticeIssuedAfterALoad_SeesIt()
    {
        _repository.Load();

        var notice = _temp.AddNotice();

        Assert.Contains(_repository.Load().Notices, candidate => candidate.Reference == notice.Reference && candidate.IsOpen);
    }

    [Theory]
    [InlineData("completed")]
    [InlineData("suspended")]
    public void Load_NoticeClosedAfterALoad_SeesItClosed(string status)
    {
        var notice = _temp.AddNotice();
        Assert.True(_repository.Load().Notices.Single().IsOpen);

        SetStatus(notice.Id, status);

        Assert.False(_repository.Load().Notices.Single().IsOpen);
    }

    [Fact]
    public void Load_OneNoticeClosedAndAnotherReopened_SeesBoth()
    {
        var first = _temp.AddNotice();
        var second = _temp.AddNotice();
        SetStatus(first.Id, "completed");
        _repository.Load();

        SetStatus(first.Id, "replied");
        SetStatus(second.Id, "completed");

        var notices = _repository.Load().Notices.ToDictionary(candidate => candidate.Reference);
        Assert.True(notices[first.Reference].IsOpen);
        Assert.False(notices[second.Reference].IsOpen);
    }

    [Fact]
    public void Load_RegistryEmailReplacedAfterALoad_SeesTheNewAddress()
    {
        Assert.True(_repository.Load().OrgCodesByEmail.ContainsKey("it@org1.example.tw"));

        _temp.AddOrganisation("XC12345678", "it@org2.example.tw");

        var context = _repository.Load();
        Assert.False(context.OrgCodesByEmail.ContainsKey("it@org1.example.tw"));
        Assert.Equal(["XC12345678"], context.OrgCodesByEmail["it@org2.example.tw"]);
    }

    [Fact]
    public void Load_OrganisationAddedAfterALoad_SeesItsCode()
    {
        _repository.Load();

        _temp.AddOrganisation("xc87654321", "it@org3.example.tw");

        Assert.Contains("XC87654321", _repository.Load().OrgCodes);
    }

    [Fact]
    public void Load_MailSentAfterALoad_FindsItsMessageIdInAPlainDictionary()
    {
        var notice = _temp.AddNotice();
        _repository.Load(["r1@center.example"]);

        using (var connection = _temp.Database.Open())
        {
            connection.Execute(
                """
                INSERT INTO outbound (kind, notice_id, recipients, subject, idempotency_key, message_id, mime_path, status, next_attempt_at, created_at)
                VALUES ('receipt', @id, 'it@org1.example.tw', 's', 'receipt:1', 'r1@center.example', 'outbound/1.eml', 'queued', '2026-11-27T01:00:00Z', '2026-11-27T01:00:00Z')
                """,
                new { id = notice.Id });
        }

        var context = _repository.Load(["r1@center.example", "R1@center.example", "other@center.example"]);
        Assert.IsType<Dictionary<string, string>>(context.NoticeByMessageId);
        Assert.Equal(notice.Reference, context.NoticeByMessageId.GetValueOrDefault("r1@center.example"));
        Assert.Null(context.NoticeByMessageId.GetValueOrDefault("R1@center.example"));
        Assert.Single(context.NoticeByMessageId);
    }

    [Fact]
    public void Load_ReplyFiledAndConfirmedAfterALoad_KeepsTheContextWithoutReadingTheRegistryAgain()
    {
        var notice = _temp.AddNotice();
        var first = _repository.Load();

        SetStatus(notice.Id, "replied");
        SetStatus(notice.Id, "confirmed");
        SetStatus(notice.Id, "extended");

        Assert.Same(first, _repository.Load());
    }

    public static TheoryData<NoticeStatus, NoticeStatus> StatusChanges()
    {
        var data = new TheoryData<NoticeStatus, NoticeStatus>();
        foreach (var from in Enum.GetValues<NoticeStatus>())
        {
            foreach (var to in Enum.GetValues<NoticeStatus>().Where(to => to != from))
            {
                data.Add(from, to);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(StatusChanges))]
    public void RegistryVersion_StatusChange_MovesExactlyWhenTheNoticeOpensOrCloses(NoticeStatus from, NoticeStatus to)
    {
        var notice = _temp.AddNotice();
        SetStatus(notice.Id, StoredCodes.Text(from));
        var before = Version();

        SetStatus(notice.Id, StoredCodes.Text(to));

        Assert.Equal(from.IsOpen() != to.IsOpen(), Version() != before);
    }

    [Fact]
    public void Load_AddressAddedInAnotherConnectionAfterALoad_SeesItAtOnce()
    {
        _repository.Load();

        using (var connection = _temp.Database.Open())
        {
            connection.Execute("INSERT INTO organisation_emails (org_code, email) VALUES ('XC12345678', 'new@org1.example.tw')");
        }

        Assert.Equal(["XC12345678"], _repository.Load().OrgCodesByEmail["new@org1.example.tw"]);
    }

    [Fact]
    public void Load_OrganisationRemovedAfterALoad_NoLongerSeesItsCodeNorAddress()
    {
        _temp.AddOrganisation("XC87654321", "it@org9.example.tw");
        Assert.Contains("XC87654321", _repository.Load().OrgCodes);

        using (var connection = _temp.Database.Open())
        {
            connection.Execute("DELETE FROM organisations WHERE code = 'XC87654321'");
        }

        var context = _repository.Load();
        Assert.DoesNotContain("XC87654321", context.OrgCodes);
        Assert.False(context.OrgCodesByEmail.ContainsKey("it@org9.example.tw"));
    }

    [Fact]
    public void Load_WriteRolledBack_KeepsTheContext()
    {
        var first = _repository.Load();

        using (var connection = _temp.Database.Open())
        using (var transaction = connection.BeginTransaction())
        {
            connection.Execute("INSERT INTO organisations (code, name, updated_at) VALUES ('XC11112222', '測試', '2026-11-27T01:00:00Z')", transaction: transaction);
            transaction.Rollback();
        }

        Assert.Same(first, _repository.Load());
        Assert.DoesNotContain("XC11112222", _repository.Load().OrgCodes);
    }

    private long Version()
    {
        using var connection = _temp.Database.Open();
        return connection.ExecuteScalar<long>("SELECT version FROM registry_version");
    }

    private void SetStatus(long noticeId, string status)
    {
        using var connection = _temp.Database.Open();
        connection.Execute("UPDATE notices SET status = @status WHERE id = @noticeId", new { status, noticeId });
    }

    public void Dispose() => _temp.Dispose();
}
