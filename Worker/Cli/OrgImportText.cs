using MailIntake.Parsing;
using MailIntake.Worker.Application;

namespace MailIntake.Worker.Cli;

/// <summary>`orgs import` for people (zh-TW): the file's problems on one line, or what was (or would be) changed.</summary>
public static class OrgImportText
{
    /// <summary>At most this many problems are spelled out on the error line; the count says how many there are.</summary>
    private const int ProblemsShown = 20;

    private const string Empty = "（空白）";

    public static string Rejection(OrganisationImport import)
    {
        ArgumentNullException.ThrowIfNull(import);
        var shown = import.Errors.Take(ProblemsShown).Select(Problem);
        var more = import.Errors.Count > ProblemsShown ? $"；另有 {import.Errors.Count - ProblemsShown} 處" : string.Empty;
        return $"匯入失敗，未做任何變更（共 {import.Errors.Count} 處錯誤）：{string.Join("；", shown)}{more}";
    }

    public static void Write(TextWriter output, OrganisationImport import)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(import);
        var added = import.Added.ToList();
        var updated = import.Updated.ToList();
        var total = added.Count + updated.Count + import.Unchanged;
        var encoding = import.Encoding == TextEncoding.Big5 ? "Big5" : "UTF-8";
        output.WriteLine(import.Applied
            ? $"已匯入 {total} 個機關：新增 {added.Count}、更新 {updated.Count}、不變 {import.Unchanged}（檔案編碼 {encoding}）"
            : $"試算，未做任何變更：檔案共 {total} 個機關，將新增 {added.Count}、更新 {updated.Count}、不變 {import.Unchanged}（檔案編碼 {encoding}）");
        foreach (var change in added)
        {
            var organisation = change.Organisation;
            output.WriteLine(
                $"  新增 {organisation.Code} {organisation.Name}　電子郵件：{Value(string.Join(';', organisation.Emails))}　電話：{Value(organisation.Phone)}　聯絡人：{Value(organisation.Contact)}（第 {change.Line} 行）");
        }

        foreach (var change in updated)
        {
            var fields = change.Fields.Select(field => $"{FieldName(field.Field)}「{Value(field.Before)}」→「{Value(field.After)}」");
            output.WriteLine($"  更新 {change.Organisation.Code} {change.Organisation.Name}：{string.Join("；", fields)}（第 {change.Line} 行）");
        }
    }

    private static string Value(string? value) => string.IsNullOrEmpty(value) ? Empty : value;

    private static string FieldName(OrganisationField field) => field switch
    {
        OrganisationField.Name => "名稱",
        OrganisationField.Emails => "電子郵件",
        OrganisationField.Phone => "電話",
        OrganisationField.Contact => "聯絡人",
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };

    private static string Problem(OrganisationCsvError error) => error.Problem switch
    {
        OrganisationCsvProblem.Empty => "檔案是空的",
        OrganisationCsvProblem.InvalidUtf8 => $"第 {error.Line} 行不是有效的 UTF-8（檔案開頭標示為 UTF-8）",
        OrganisationCsvProblem.EncodingChanges => $"第 {error.Line} 行不是 {error.Detail}，而前面各行是 {error.Detail}（整份檔案須為同一種編碼：UTF-8 或 Big5）",
        OrganisationCsvProblem.ControlCharacters => $"第 {error.Line} 行的欄位「{error.Detail}」含有換行或控制字元（名稱、聯絡人等須為一行）",
        OrganisationCsvProblem.NeitherUtf8NorBig5 => $"第 {error.Line} 行既不是有效的 UTF-8 也不是有效的 Big5（整份檔案須為同一種編碼）",
        OrganisationCsvProblem.UnknownColumn => $"第 1 行有不認得的欄位「{error.Detail}」（標題須為 code,name,email,phone,contact）",
        OrganisationCsvProblem.RepeatedColumn => $"第 1 行欄位「{error.Detail}」重複",
        OrganisationCsvProblem.MissingColumn => $"第 1 行缺少欄位「{error.Detail}」",
        OrganisationCsvProblem.UnterminatedQuote => $"第 {error.Line} 行的引號沒有結束",
        OrganisationCsvProblem.StrayQuote => $"第 {error.Line} 行未加引號的欄位中有引號",
        OrganisationCsvProblem.TextAfterClosingQuote => $"第 {error.Line} 行引號結束後還有文字",
        OrganisationCsvProblem.FieldCount => $"第 {error.Line} 行的欄位數與標題不同",
        OrganisationCsvProblem.MissingCodeOrName => $"第 {error.Line} 行缺少機關代碼或名稱",
        OrganisationCsvProblem.OwnAddress => $"第 {error.Line} 行的電子郵件「{error.Detail}」是本中心或承辦人員之信箱，不能登記為機關之信箱（寄往此信箱之限期改善單不會送達機關）",
        OrganisationCsvProblem.NotABareAddress => $"第 {error.Line} 行的電子郵件「{error.Detail}」不是單純的郵件地址（只寫 帳號@網域，網域含「.」，不含姓名或角括號）",
        OrganisationCsvProblem.DuplicateCode => $"第 {error.Line} 行的機關代碼 {error.Detail} 與第 {error.OtherLine} 行重複",
        _ => $"第 {error.Line} 行格式錯誤",
    };
}
