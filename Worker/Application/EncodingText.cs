using MailIntake.Parsing;

namespace MailIntake.Worker.Application;

/// <summary>Why a text file staff gave us (holidays, a notice's items) could not be read, naming the line (zh-TW).</summary>
public static class EncodingText
{
    public static string Invalid(DecodedText decoded)
    {
        var encoding = decoded.Encoding == TextEncoding.Utf8 ? "UTF-8" : "Big5";
        return decoded.InvalidLine > 1
            ? $"第 {decoded.InvalidLine} 行不是 {encoding}，而前面各行是 {encoding}（整份檔案須為同一種編碼：UTF-8 或 Big5）"
            : $"第 {decoded.InvalidLine ?? 1} 行既不是有效的 UTF-8 也不是有效的 Big5";
    }
}
