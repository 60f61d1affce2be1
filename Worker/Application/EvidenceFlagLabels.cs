namespace MailIntake.Worker.Application;

/// <summary>The zh-TW words for the flags an attachment's name or size earned (JSON keeps the codes).</summary>
public static class EvidenceFlagLabels
{
    public static string Label(string flag) => flag switch
    {
        "path" => "檔名含路徑",
        "control-characters" => "檔名含控制字元",
        "rtl-override" => "檔名含反向顯示字元",
        "device-name" => "檔名為裝置名稱",
        "long-name" => "檔名過長",
        "no-name" => "未附檔名",
        "executable" => "可執行檔",
        "double-extension" => "雙重副檔名",
        "oversize" => "超過大小上限",
        "not-stored" => "未另存佐證檔",
        _ => "其他警示",
    };

    public static string Join(IEnumerable<string> flags) => string.Join("、", flags.Select(Label));
}
