using System.Globalization;
using MailIntake.Parsing;

namespace MailIntake.Worker.Documents;

/// <summary>
/// The first page of the export: the notice exactly as the fillable form words it (the center's
/// part of <see cref="NoticeFormText"/>), then, where the paper leaves the organisation's blanks,
/// what the organisation actually returned and the phone confirmations of its emailed replies.
/// </summary>
internal static class NoticeExportText
{
    private const string NotFilled = "（未填）";

    public static ExportPage Page(NoticeExport export)
    {
        ArgumentNullException.ThrowIfNull(export);
        var form = NoticeFormText.Layout(export.Notice);
        var rows = new List<ExportRow>(CenterPart(form.Rows))
        {
            new ExportSection("以下由改善對象填寫（回覆紀錄）"),
            new ExportField("辦理狀態", [export.StatusLabel]),
        };

        var replies = export.Replies.OrderBy(reply => reply.ReceivedAt).ToList();
        if (replies.Count == 0)
        {
            rows.Add(new ExportField("回覆郵件", ["（尚未收到回覆）"]));
        }

        for (var index = 0; index < replies.Count; index++)
        {
            var label = replies.Count == 1 ? "回覆郵件" : $"回覆郵件\n（第{index + 1}封）";
            rows.AddRange(Reply(label, replies[index], export.Zone));
        }

        rows.Add(new ExportField("電話確認", PhoneCalls(export.PhoneCalls, export.Zone)));
        return new ExportPage(form.Title, null, form.Heading, rows, []);
    }

    /// <summary>
    /// The center's rows are the first section and its fields; the next section starts the
    /// organisation's blanks, which the export replaces with the recorded replies.
    /// </summary>
    private static IEnumerable<ExportRow> CenterPart(IReadOnlyList<FormRow> rows) =>
        rows.Take(1).Concat(rows.Skip(1).TakeWhile(row => row.Kind != FormRowKind.Section))
            .Select(row => row.Kind == FormRowKind.Section
                ? (ExportRow)new ExportSection(row.Label)
                : new ExportField(row.Label, row.Lines.Select(line => (ExportLine)line).ToList()));

    private static IEnumerable<ExportRow> Reply(string label, ReplySummary reply, TimeZoneInfo zone)
    {
        yield return new ExportField(label, [$"收件時間：{Instant(reply.ReceivedAt, zone)}", $"寄件者：{reply.From ?? NotFilled}"]);
        yield return new ExportField("填寫人",
        [
            "姓名/電話/郵件信箱",
            $"{reply.FillerName ?? NotFilled} / {reply.FillerPhone ?? NotFilled} / {reply.FillerEmail ?? NotFilled}",
        ]);
        yield return new ExportField("改善完成日期",
            [reply.CompletedOn is { } done ? $"本用戶已於{RocDate.Format(done)}完成改善事項。" : NotFilled]);
        yield return new ExportField("佐證資料", Files(reply.Files));
    }

    private static List<ExportLine> Files(IReadOnlyList<(string FileName, int? Item, long Size)> files)
    {
        if (files.Count == 0)
        {
            return ["（未附檔案）"];
        }

        // By item, as the form numbers its evidence (附件1…附件4); files the reader could not
        // place last, so a missing item stands out.
        return files
            .OrderBy(file => file.Item ?? int.MaxValue)
            .ThenBy(file => file.FileName, StringComparer.Ordinal)
            .Select(file => (ExportLine)string.Create(CultureInfo.InvariantCulture,
                $"{(file.Item is { } item ? $"附件{item}" : "未標項次")}　{file.FileName}（{file.Size:N0} 位元組）"))
            .ToList();
    }

    private static List<ExportLine> PhoneCalls(IReadOnlyList<PhoneCall> calls, TimeZoneInfo zone) =>
        calls.Count == 0
            ? ["（尚無電話確認紀錄）"]
            : calls.OrderBy(call => call.At)
                .Select(call => (ExportLine)$"{Instant(call.At, zone)}　{call.By} 電話確認{(string.IsNullOrWhiteSpace(call.Note) ? "。" : $"：{call.Note}")}")
                .ToList();

    /// <summary>ROC short date and 24-hour time in the center's zone, e.g. 115/12/02 10:15.</summary>
    private static string Instant(DateTimeOffset at, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(at, zone);
        return string.Create(CultureInfo.InvariantCulture, $"{RocDate.FormatShort(DateOnly.FromDateTime(local.DateTime))} {local:HH:mm}");
    }
}
