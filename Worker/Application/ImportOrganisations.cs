using MailIntake.Parsing;
using MailIntake.Storage;
using MailIntake.Worker.Options;
using MailIntake.Worker.Outbound;

namespace MailIntake.Worker.Application;

/// <param name="Content">The registry file as it was read, bytes undecoded.</param>
/// <param name="DryRun">Compare only: say what would change, change nothing.</param>
public sealed record ImportOrganisationsCommand(byte[] Content, bool DryRun);

/// <summary>
/// <c>orgs import</c>: the file is taken whole or not at all. A file with any problem changes nothing; otherwise
/// the new and changed organisations are written in one transaction with the comparison that chose them.
/// </summary>
public sealed class ImportOrganisations(OrganisationRepository organisations, OutboxWriter outbox, MailIntakeOptions options, TimeProvider time)
{
    public Task<OrganisationImport> ExecuteAsync(ImportOrganisationsCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        cancellationToken.ThrowIfCancellationRequested();
        var csv = OrganisationCsvReader.Read(command.Content);
        // The center's own address (mail from it is never a reply) and a staff member's (mail from it is a staff
        // action) can never be an organisation's: notices sent there would be shown sent and never reach it.
        var own = csv.Rows.SelectMany(row => row.Emails.Where(email => outbox.IsOwnAddress(email) || options.Staff.FindMember(email) is not null)
            .Select(email => new OrganisationCsvError(row.Line, OrganisationCsvProblem.OwnAddress, email))).ToList();
        if (csv.Errors.Count > 0 || own.Count > 0)
        {
            return Task.FromResult(new OrganisationImport(csv.Encoding, [.. csv.Errors, .. own], [], 0, Applied: false));
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
