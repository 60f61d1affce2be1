using MailIntake.Storage;

namespace MailIntake.Worker.Application;

/// <summary>
/// A file a person names for the program to read whole (<c>notice issue --items-file</c>, <c>orgs import FILE</c>, the
/// <c>Calendar:HolidaysFile</c> setting) that is not a readable text file of a sane size. <see cref="Exception.Message"/>
/// is the zh-TW reason naming the file, e.g. 「是資料夾，不是檔案：/tmp/x」; each caller puts its option or key before it.
/// </summary>
public sealed class NamedInputFileException(string message) : Exception(message);

/// <summary>
/// Reads a text file a person named: only a regular file (a link to one is followed), opened without waiting on a named
/// pipe and never read from a device (<c>/dev/zero</c> never ends), and only up to a size limit generous for its purpose —
/// read whole into memory, a file of gigabytes would otherwise fail deep inside with no file named.
/// </summary>
public static class NamedInputFile
{
    /// <summary>The improvement items of one notice (at most 20 items of 500 characters: some 30 KB) or a holiday calendar (some 20 KB a year).</summary>
    public const long SmallTextLimit = 4 * 1024 * 1024;

    /// <summary>An organisation registry CSV: a few hundred bytes a row, so over 100,000 organisations.</summary>
    public const long RegistryLimit = 32 * 1024 * 1024;

    /// <summary>The file's bytes, or <see cref="NamedInputFileException"/> saying what is wrong with it.</summary>
    public static byte[] Read(string path, long limit)
    {
        if (Directory.Exists(path))
        {
            throw new NamedInputFileException($"是資料夾，不是檔案：{path}");
        }

        try
        {
            using var stream = UnixFiles.OpenRegular(path, followLink: true);
            if (stream.Length > limit)
            {
                throw TooLarge(path, stream.Length, limit);
            }

            // Read at most one byte past the limit: a file still growing (or one whose size the system does not report)
            // is stopped there, never read on.
            using var content = new MemoryStream((int)stream.Length);
            var chunk = new byte[81920];
            for (int count; (count = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, limit + 1 - content.Length))) > 0;)
            {
                content.Write(chunk, 0, count);
                if (content.Length > limit)
                {
                    throw TooLarge(path, null, limit);
                }
            }

            return content.ToArray();
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new NamedInputFileException($"找不到檔案：{path}");
        }
        catch (NotARegularFileException)
        {
            throw new NamedInputFileException($"不是一般檔案（裝置、具名管道或 socket）：{path}");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new NamedInputFileException($"無法讀取：{FileErrorText.Describe(exception)}");
        }
    }

    private static NamedInputFileException TooLarge(string path, long? size, long limit) =>
        new($"檔案過大：{path}（{(size is { } bytes ? FileErrorText.Size(bytes) : $"超過 {FileErrorText.Size(limit)}")}，上限 {FileErrorText.Size(limit)}）");
}
