namespace MailIntake.Storage;

/// <summary>
/// The DataDirectory is no longer at its path (moved away, renamed, its disk unmounted) while a command or the worker
/// was using it. Nothing is created in its place: a folder made again at the old path would take the files while the rows
/// follow the database already open in the moved folder. An error, not a verdict: what was being done waits for the
/// store to be back.
/// </summary>
public sealed class DataDirectoryGoneException(string dataDirectory, Exception? inner = null)
    : IOException($"DataDirectory {dataDirectory} is no longer there (moved, renamed or unmounted)", inner)
{
    public string DataDirectory { get; } = dataDirectory;

    /// <summary>Throws when <paramref name="dataDirectory"/> is not a folder at its path any more.</summary>
    public static void ThrowIfGone(string dataDirectory, Exception? inner = null)
    {
        if (!Directory.Exists(dataDirectory))
        {
            throw new DataDirectoryGoneException(dataDirectory, inner);
        }
    }
}
