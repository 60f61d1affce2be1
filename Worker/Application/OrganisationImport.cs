using MailIntake.Parsing;
using MailIntake.Storage;

namespace MailIntake.Worker.Application;

public enum OrganisationField
{
    Name,
    Emails,
    Phone,
    Contact,
}

/// <summary>One field of a registered organisation that the file changes; a list of addresses is joined by ';'.</summary>
public sealed record OrganisationFieldChange(OrganisationField Field, string? Before, string? After);

/// <param name="Line">The file's line the organisation comes from.</param>
/// <param name="Fields">Empty for an organisation the registry does not have yet.</param>
public sealed record OrganisationChange(int Line, Organisation Organisation, bool IsNew, IReadOnlyList<OrganisationFieldChange> Fields);

/// <summary>
/// What an import did, or would do on a dry run: the file's problems (then nothing was changed), the organisations
/// added and updated with each changed field, and how many rows the registry already had as they are.
/// </summary>
public sealed record OrganisationImport(
    TextEncoding Encoding,
    IReadOnlyList<OrganisationCsvError> Errors,
    IReadOnlyList<OrganisationChange> Changes,
    int Unchanged,
    bool Applied)
{
    public bool Rejected => Errors.Count > 0;

    public IEnumerable<OrganisationChange> Added => Changes.Where(change => change.IsNew);

    public IEnumerable<OrganisationChange> Updated => Changes.Where(change => !change.IsNew);

    /// <summary>Compares the file's rows with the registry as it is.</summary>
    public static (IReadOnlyList<OrganisationChange> Changes, int Unchanged) Compare(
        IReadOnlyList<Organisation> registry, IReadOnlyList<(int Line, Organisation Organisation)> rows)
    {
        var byCode = registry.ToDictionary(organisation => organisation.Code, StringComparer.Ordinal);
        var changes = new List<OrganisationChange>();
        var unchanged = 0;
        foreach (var (line, incoming) in rows)
        {
            if (!byCode.TryGetValue(incoming.Code, out var current))
            {
                changes.Add(new OrganisationChange(line, incoming, IsNew: true, []));
                continue;
            }

            var fields = FieldChanges(current, incoming);
            if (fields.Count == 0)
            {
                unchanged++;
            }
            else
            {
                changes.Add(new OrganisationChange(line, incoming, IsNew: false, fields));
            }
        }

        return (changes, unchanged);
    }

    private static List<OrganisationFieldChange> FieldChanges(Organisation current, Organisation incoming)
    {
        var changes = new List<OrganisationFieldChange>();
        void Compare(OrganisationField field, string? before, string? after)
        {
            if (!string.Equals(before ?? string.Empty, after ?? string.Empty, StringComparison.Ordinal))
            {
                changes.Add(new OrganisationFieldChange(field, before, after));
            }
        }

        Compare(OrganisationField.Name, current.Name, incoming.Name);
        Compare(OrganisationField.Emails, string.Join(';', current.Emails), string.Join(';', incoming.Emails.Distinct(StringComparer.OrdinalIgnoreCase)));
        Compare(OrganisationField.Phone, current.Phone, incoming.Phone);
        Compare(OrganisationField.Contact, current.Contact, incoming.Contact);
        return changes;
    }
}
