using System.Text;

namespace MailIntake.Parsing;

public sealed record OrganisationRow(int Line, string Code, string Name, IReadOnlyList<string> Emails, string? Phone, string? Contact);

public sealed record OrganisationCsv(IReadOnlyList<OrganisationRow> Rows, IReadOnlyList<string> Errors);

/// <summary>
/// Reads the registry CSV (<c>code,name,email,phone,contact</c>; several emails separated by <c>;</c>),
/// UTF-8 with or without BOM, or Big5 — the exchange system's address book is often saved from Excel in Big5.
/// </summary>
public static class OrganisationCsvReader
{
    private static readonly string[] Columns = ["code", "name", "email", "phone", "contact"];

    public static OrganisationCsv Read(byte[] content)
    {
        var rows = new List<OrganisationRow>();
        var errors = new List<string>();
        var records = CsvRecords(Decode(content)).ToList();
        if (records.Count == 0)
        {
            return new OrganisationCsv(rows, ["檔案是空的"]);
        }

        var header = records[0].Fields.Select(field => field.Trim().ToLowerInvariant()).ToList();
        var index = Columns.ToDictionary(column => column, column => header.IndexOf(column));
        if (index["code"] < 0 || index["name"] < 0)
        {
            return new OrganisationCsv(rows, [$"第 1 行標題須為 {string.Join(',', Columns)}"]);
        }

        foreach (var (line, fields) in records.Skip(1))
        {
            if (fields.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            string? Field(string column) =>
                index[column] is var i and >= 0 && i < fields.Count && !string.IsNullOrWhiteSpace(fields[i]) ? fields[i].Trim() : null;

            var code = Field("code") is { } rawCode ? FullWidth.ToHalfWidth(rawCode).ToUpperInvariant() : null;
            var name = Field("name");
            if (code is null || name is null)
            {
                errors.Add($"第 {line} 行缺少機關代碼或名稱");
                continue;
            }

            var emails = (Field("email") ?? string.Empty)
                .Split([';', '；', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(email => FullWidth.ToHalfWidth(email).ToLowerInvariant())
                .ToList();
            var invalid = emails.Where(email => !MimeKit.MailboxAddress.TryParse(email, out _) || !email.Contains('@')).ToList();
            if (invalid.Count > 0)
            {
                errors.Add($"第 {line} 行電子郵件格式錯誤：{string.Join("、", invalid)}");
                continue;
            }

            rows.Add(new OrganisationRow(line, code, name, emails, Field("phone"), Field("contact")));
        }

        return new OrganisationCsv(rows, errors);
    }

    /// <summary>UTF-8 when the bytes are valid UTF-8 (BOM or not), otherwise Big5.</summary>
    public static string Decode(byte[] content)
    {
        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(content).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            return Encoding.GetEncoding(950).GetString(content);
        }
    }

    /// <summary>RFC 4180 records: quoted fields may hold commas, quotes ("") and line breaks.</summary>
    private static IEnumerable<(int Line, List<string> Fields)> CsvRecords(string text)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var line = 1;
        var recordLine = 1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    line += c == '\n' ? 1 : 0;
                    field.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    quoted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    yield return (recordLine, fields);
                    fields = [];
                    line++;
                    recordLine = line;
                    break;
                default:
                    field.Append(c);
                    break;
            }
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            yield return (recordLine, fields);
        }
    }
}
