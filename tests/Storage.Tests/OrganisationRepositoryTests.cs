namespace MailIntake.Storage.Tests;

public sealed class OrganisationRepositoryTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    [Fact]
    public void Upsert_ExistingCode_UpdatesNameAndReplacesEmails()
    {
        var repository = new OrganisationRepository(_temp.Database);
        repository.Upsert([new Organisation("XC1", "舊名", ["a@x.tw", "b@x.tw"], null, null)], TempDatabase.Now);

        var (inserted, updated) = repository.Upsert([new Organisation("XC1", "新名", ["c@x.tw"], "06-1", "王")], TempDatabase.Now);

        Assert.Equal((0, 1), (inserted, updated));
        var organisation = repository.Find("XC1")!;
        Assert.Equal("新名", organisation.Name);
        Assert.Equal(["c@x.tw"], organisation.Emails);
    }

    public void Dispose() => _temp.Dispose();
}
