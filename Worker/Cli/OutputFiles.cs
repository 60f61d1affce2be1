using MailIntake.Storage;
using MailIntake.Worker.Options;

namespace MailIntake.Worker.Cli;

/// <summary>
/// The file a command writes (<c>backup FILE</c>, <c>mail show --raw -o</c>, <c>notice export -o</c>) is never inside
/// DataDirectory: written there it could replace the database or a raw mail, the store's only copy, in one rename.
/// Nor is it something that exists and is not a regular file: a device, FIFO or link would be replaced by the rename.
/// </summary>
public static class OutputFiles
{
    public static void Check(MailIntakeOptions options, FileInfo file, string what)
    {
        if (Directory.Exists(file.FullName))
        {
            throw new CliException($"{what} {file.FullName} 是資料夾，請指定要寫入的檔案名稱", 2);
        }

        if (UnixFiles.IsSpecialOrLink(file.FullName))
        {
            // Written by rename, a device (/dev/full), a FIFO or a link (/dev/stdout) would be replaced by a plain file
            // and the output end up nowhere anyone looks, under a success line.
            throw new CliException($"{what} {file.FullName} 已存在且不是一般檔案（連結、裝置或管道），不會覆寫；請指定一般檔案的路徑", 2);
        }

        if (OwnFiles.IsInside(options.DataDirectory, file.FullName))
        {
            throw new CliException($"{what} {file.FullName} 位於資料目錄 {Path.GetFullPath(options.DataDirectory)} 之內，可能蓋過系統保存的檔案；請寫到資料目錄以外", 2);
        }
    }
}
