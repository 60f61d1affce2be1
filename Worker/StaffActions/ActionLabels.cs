namespace MailIntake.Worker.StaffActions;

/// <summary>The editable lines of action mails (<c>LABEL：value</c>): written by <see cref="ActionLinks"/>, read by <see cref="StaffActionHandler"/>.</summary>
public static class ActionLabels
{
    public const string Confirmer = "確認人";
    public const string Tracker = "追蹤人";
    public const string Handler = "處理人";
    public const string Note = "備註";
    public const string Reason = "原因";
    public const string Explanation = "說明";
    public const string NewDeadline = "新改善期限";
    public const string SuspendFrom = "中止日期";
    public const string OrgCode = "機關代碼";
    public const string HostIp = "電腦IP";
    public const string MaliciousIps = "惡意IP";
    public const string IncidentPeriod = "事件期間";
    public const string Deadline = "改善期限";
    public const string Items = "改善事項";
    public const string Again = "再次開立";
    public const string DespiteWaitingMail = "仍予中止";
    public const string Action = "動作";
    public const string Token = "動作識別碼";

    /// <summary>The rule above the lines that must stay as they are.</summary>
    public const string KeepBelow = "——以下請勿修改——";
}
