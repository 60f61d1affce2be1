using MailIntake.Parsing;
using MailIntake.Storage;

namespace MailIntake.Worker.Application;

/// <param name="Content">The registry file as it was read, bytes undecoded.</param>
/// <param name="DryRun">Compare only: say what would change, change nothing.</param>
public sealed record ImportOrganisationsCommand(byte[] Content, bool DryRun);

/// <summary>
/// <c>orgs import</c>: the file is taken whole or not at all. A file with any problem changes nothing; otherwise
/// the new and changed organisations are written in one transaction with the comparison that chose them.
/// </summary>
public sealed class ImportOrganisations(OrganisationRepository organisations, TimeProvider time)
{
    public Task<OrganisationImport> ExecuteAsync(ImportOrganisationsCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        cancellationToken.ThrowIfCancellationRequested();
        var csv = OrganisationCsvReader.Read(command.Content);
        if (csv.Errors.Count > 0)
        {
            return Task.FromResult(new OrganisationImport(csv.Encoding, csv.Errors, [], 0, Applied: false));
        }

        var rows = csv.Rows
            .Select(row => (row.Line, new Organisation(row.Code, row.Name, row.Emails, row.Phone, row.Contact)))
            .ToList();
        if (command.DryRun)
        {
            var (changes, unchanged) = OrganisationImport.Compare(organisations.List(), rows);
            return Task.FromResult(new OrganisationImport(csv.Encoding, [], changes, unchanged, Applied: false));
        }

        var (applied, same) = organisations.Change(
            registry =>
            {
                var compared = OrganisationImport.Compare(registry, rows);
                return (compared.Changes.Select(change => change.Organisation).ToList(), compared);
            },
            time.GetUtcNow());
        return Task.FromResult(new OrganisationImport(csv.Encoding, [], applied, same, Applied: true));
    }
}
