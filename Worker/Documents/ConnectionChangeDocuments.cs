namespace MailIntake.Worker.Documents;

/// <summary>The 連線異動表 as a Word document and as an OpenDocument text: the same page in both.</summary>
public static class ConnectionChangeDocuments
{
    public static byte[] Docx(ConnectionChangeForm form) =>
        ExportDocx.Create($"{ConnectionChangeText.Title} {form.OrgCode}", [ConnectionChangeText.Page(form)]);

    public static byte[] Odt(ConnectionChangeForm form) => ExportOdt.Create([ConnectionChangeText.Page(form)]);

    /// <summary>The attachment's name without extension: 連線異動表_TN-115-0001_XC12345678.</summary>
    public static string FileName(ConnectionChangeForm form) => $"連線異動表_{form.Reference}_{form.OrgCode}";
}
