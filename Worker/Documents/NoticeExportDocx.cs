namespace MailIntake.Worker.Documents;

/// <summary>
/// The notice, what the organisation returned and the tracking evaluation form as a Word
/// document, for filing: the same pages as <see cref="NoticeExportHtml"/>.
/// </summary>
public static class NoticeExportDocx
{
    public static byte[] Create(NoticeExport export)
    {
        ArgumentNullException.ThrowIfNull(export);
        return ExportDocx.Create(
            $"{NoticeFormText.Title} {export.Notice.Reference}",
            [NoticeExportText.Page(export), TrackingFormText.Page(export)]);
    }
}
