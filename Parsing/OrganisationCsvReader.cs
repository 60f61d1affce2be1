using CsvHelper;
using MimeKit;

namespace MailIntake.Parsing;

public sealed record OrganisationRow(int Line, string Code, string Name, IReadOnlyList<string> Emails, string? Phone, string? Contact);

/// <summary>What is wrong with a registry file; the CLI words it.</summary>
public enum OrganisationCsvProblem
{
    Empty,
    InvalidUtf8,
    NeitherUtf8NorBig5,
    /// <summary>The lines before are in one encoding (Detail: UTF-8 or Big5), this one is not.</summary>
    EncodingChanges,
    UnknownColumn,
    RepeatedColumn,
    MissingColumn,
    UnterminatedQuote,
    StrayQuote,
    TextAfterClosingQuote,
    FieldCount,
    MissingCodeOrName,
    NotABareAddress,
    /// <summary>A line break, tab or other control character inside a field (Detail: the column).</summary>
    ControlCharacters,
    DuplicateCode,
    /// <summary>The center's own address or a staff member's (Detail: the address): mail to it would never reach the organisation.</summary>
    OwnAddress,
    Malformed,
}

/// <param name="Line">The file's line (1 = the header) where the record starts.</param>
/// <param name="Detail">The column, code or address at fault, where there is one.</param>
/// <param name="OtherLine">For a duplicate code: the line that has it first.</param>
public sealed record OrganisationCsvError(int Line, OrganisationCsvProblem Problem, string? Detail = null, int? OtherLine = null);

/// <summary>The rows of a registry file and every problem found in it; the file is usable only when there is none.</summary>
public sealed record OrganisationCsv(IReadOnlyList<OrganisationRow> Rows, IReadOnlyList<OrganisationCsvError> Errors, TextEncoding Encoding);

/// <summary>
/// Reads the registry CSV (<c>code,name,email,phone,contact</c>; several emails separated by <c>;</c>), UTF-8 with or
/// without BOM, or Big5 — the exchange system's address book is often saved from Excel in Big5. Strict: every
/// malformed record (bad quoting, a field count other than the header's), row without code or name, address that
/// is not a bare address and repeated code is reported with its line, so a file is taken whole or not at all.
/// </summary>
public static class OrganisationCsvReader
{
    private static readonly string[] Columns = ["code", "name", "email", "phone", "contact"];
    private static readonly string[] RequiredColumns = ["code", "name"];
    private static readonly char[] AddressSeparators = [';', '；', ','];
    private static readonly System.Buffers.SearchValues<char> ControlCharacters = System.Buffers.SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Select(code => (char)code), .. Enumerable.Range(0x7F, 0x21).Select(code => (char)code), '\u2028', '\u2029',
            '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069',
            // What XML cannot hold: a name printed on every notice form and 連線異動表 (.docx, .odt) could never be written.
            '\uFFFE', '\uFFFF']);

    public static OrganisationCsv Read(byte[] content)
    {
        var decoded = Utf8OrBig5.Decode(content);
        if (decoded.Text is null)
        {
            var line = decoded.InvalidLine ?? 1;
            var error = decoded.ByteOrderMark ? new OrganisationCsvError(line, OrganisationCsvProblem.InvalidUtf8)
                : line == 1 ? new OrganisationCsvError(line, OrganisationCsvProblem.NeitherUtf8NorBig5)
                : new OrganisationCsvError(line, OrganisationCsvProblem.EncodingChanges, decoded.Encoding == TextEncoding.Utf8 ? "UTF-8" : "Big5");
            return new OrganisationCsv([], [error], decoded.Encoding);
        }

        var errors = new List<OrganisationCsvError>();
        var rows = new List<OrganisationRow>();
        if (string.IsNullOrWhiteSpace(decoded.Text))
        {
            return new OrganisationCsv([], [new OrganisationCsvError(1, OrganisationCsvProblem.Empty)], decoded.Encoding);
        }

        var options = CsvReaderOptions.Default with
        {
            Separator = ',',
            HasHeader = true,
            TrackLineNumbers = true,
            MalformedData = CsvMalformedDataHandling.Skip,
            FieldCountMismatch = CsvFieldCountHandling.Skip,
            OnMalformedRecord = record => errors.Add(new OrganisationCsvError((int)record.LineNumber, Problem(record.Reason))),
        };
        using var reader = CsvReader.FromText(decoded.Text, options);
        var index = ColumnIndex(reader.Headers, errors);
        if (index is null)
        {
            return new OrganisationCsv([], errors, decoded.Encoding);
        }

        var firstLineOfCode = new Dictionary<string, int>(StringComparer.Ordinal);
        while (reader.Read())
        {
            var line = (int)reader.LineNumber;
            var fields = reader.Current.ToArray();
            if (fields.All(string.IsNullOrWhiteSpace))
            {
                continue; // Excel leaves rows of empty cells below the data
            }

            if (ReadRow(line, fields, index, errors) is not { } row)
            {
                continue;
            }

            if (firstLineOfCode.TryGetValue(row.Code, out var first))
            {
                errors.Add(new OrganisationCsvError(line, OrganisationCsvProblem.DuplicateCode, row.Code, first));
                continue;
            }

            firstLineOfCode.Add(row.Code, line);
            rows.Add(row);
        }

        // Malformed records are reported while reading, ahead of the rows around them: put them in file order.
        return new OrganisationCsv(rows, errors.OrderBy(error => error.Line).ToList(), decoded.Encoding);
    }

    private static Dictionary<string, int>? ColumnIndex(IReadOnlyList<string> header, List<OrganisationCsvError> errors)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Count; i++)
        {
            var name = header[i].Trim().ToLowerInvariant();
            if (!Columns.Contains(name))
            {
                errors.Add(new OrganisationCsvError(1, OrganisationCsvProblem.UnknownColumn, header[i].Trim()));
            }
            else if (!index.TryAdd(name, i))
            {
                errors.Add(new OrganisationCsvError(1, OrganisationCsvProblem.RepeatedColumn, name));
            }
        }

        errors.AddRange(RequiredColumns.Where(column => !index.ContainsKey(column))
            .Select(column => new OrganisationCsvError(1, OrganisationCsvProblem.MissingColumn, column)));
        return errors.Count == 0 ? index : null;
    }

    private static OrganisationRow? ReadRow(int line, string[] fields, Dictionary<string, int> index, List<OrganisationCsvError> errors)
    {
        string? Field(string column) =>
            index.TryGetValue(column, out var i) && !string.IsNullOrWhiteSpace(fields[i]) ? fields[i].Trim() : null;

        // A name or contact is printed on notices ("臺南市某協會 您好：") and listed one per line: one line each.
        var broken = index.FirstOrDefault(column => fields[column.Value].AsSpan().Trim().ContainsAny(ControlCharacters));
        if (broken.Key is not null)
        {
            errors.Add(new OrganisationCsvError(line, OrganisationCsvProblem.ControlCharacters, broken.Key));
            return null;
        }

        var code = Field("code") is { } rawCode ? FullWidth.ToHalfWidth(rawCode).ToUpperInvariant() : null;
        var name = Field("name");
        if (code is null || name is null)
        {
            errors.Add(new OrganisationCsvError(line, OrganisationCsvProblem.MissingCodeOrName));
            return null;
        }

        var emails = new List<string>();
        foreach (var written in (Field("email") ?? string.Empty).Split(AddressSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var address = FullWidth.ToHalfWidth(written).ToLowerInvariant();
            if (!IsBareAddress(address))
            {
                errors.Add(new OrganisationCsvError(line, OrganisationCsvProblem.NotABareAddress, written));
                return null;
            }

            emails.Add(address);
        }

        return new OrganisationRow(line, code, name, emails, Field("phone"), Field("contact"));
    }

    /// <summary>
    /// local@domain and nothing else: no display name, angle brackets or comment, which would otherwise be read as
    /// an address that is not the one written; the domain has a dot (a@b delivers nowhere).
    /// </summary>
    private static bool IsBareAddress(string text) =>
        text.Count(c => c == '@') == 1
        && !text.Any(c => char.IsWhiteSpace(c) || c is '<' or '>' or '(' or ')' or '"')
        && MailboxAddress.TryParse(text, out var mailbox)
        && string.IsNullOrEmpty(mailbox.Name)
        && string.Equals(mailbox.Address, text, StringComparison.Ordinal)
        && text.IndexOf('@') is > 0 and var at && at < text.Length - 1
        && text[(at + 1)..] is var domain && domain.Contains('.') && !domain.StartsWith('.') && !domain.EndsWith('.');

    private static OrganisationCsvProblem Problem(CsvMalformedReason reason) => reason switch
    {
        CsvMalformedReason.UnterminatedQuote => OrganisationCsvProblem.UnterminatedQuote,
        CsvMalformedReason.StrayQuote => OrganisationCsvProblem.StrayQuote,
        CsvMalformedReason.TextAfterClosingQuote => OrganisationCsvProblem.TextAfterClosingQuote,
        CsvMalformedReason.FieldCountMismatch => OrganisationCsvProblem.FieldCount,
        _ => OrganisationCsvProblem.Malformed,
    };
}
