namespace MailIntake.Storage;

/// <summary>
/// A symbolic link where the store keeps its files — <c>raw/</c> moved to a bigger disk and linked back, a linked
/// fan-out or temporary folder: never followed (h14h G4). Nothing is written through it and nothing behind it is
/// judged missing or damaged; <c>store verify</c> and <c>backup</c> name it <c>foreign</c>, intake fails as an error
/// (retried, the mail stays to be taken) until the folder is a folder again.
/// </summary>
public sealed class StoreFolderLinkedException(string link, string? target)
    : IOException($"{link} is a symbolic link{(target is null ? "" : $" to {target}")} where the store keeps its files: not followed")
{
    /// <summary>The store's folders directly below DataDirectory.</summary>
    public static readonly IReadOnlyList<string> TopFolders = ["raw", "evidence", "outbound"];

    /// <summary>The link's full path.</summary>
    public string Link { get; } = link;

    /// <summary>Where it points, as the link says it (null when it cannot be read).</summary>
    public string? Target { get; } = target;

    /// <summary>
    /// What it is and what to do, in one zh-TW line — the same in verify, backup, intake and status: a link (to where),
    /// nothing damaged or lost, and how to give the store more room without a link.
    /// </summary>
    public string Text =>
        $"{Link} 是符號連結{(Target is null ? "" : $"（指向 {Target}）")}，不是資料夾：本系統不經由連結寫入或讀取其存放之檔案（收件暫停，未收之郵件留待下次收件），"
        + "連結所指之檔案未損壞、非遺失，不需由備份還原；需要更大空間時，請停止收件服務，將連結所指之內容移回原處（取代連結）並把整個資料目錄移至較大之磁碟、"
        + "設定 MailIntake:DataDirectory 指向新位置，或將該磁碟掛載於資料目錄之路徑";

    /// <summary>The first of the store's top folders (<see cref="TopFolders"/>) below <paramref name="dataDirectory"/> that is a link, or null.</summary>
    public static StoreFolderLinkedException? FindTop(string dataDirectory) => AllTop(dataDirectory).FirstOrDefault();

    /// <summary>Every top folder of the store below <paramref name="dataDirectory"/> that is a symbolic link.</summary>
    public static IEnumerable<StoreFolderLinkedException> AllTop(string dataDirectory)
    {
        var root = Path.GetFullPath(dataDirectory);
        return TopFolders.Select(folder => Path.Combine(root, folder)).Where(OwnFiles.IsLink).Select(Of);
    }

    /// <summary>Throws for the first top folder of the store that is a link (an intake pass checks before it takes anything).</summary>
    public static void ThrowIfTopLinked(string dataDirectory)
    {
        if (FindTop(dataDirectory) is { } linked)
        {
            throw linked;
        }
    }

    /// <summary>
    /// Throws when <paramref name="path"/> is, or passes through, a symbolic link below <paramref name="dataDirectory"/>
    /// (not DataDirectory itself, which may be a link to its disk): a write there would land outside the store.
    /// </summary>
    public static void ThrowIfThroughLink(string dataDirectory, string path)
    {
        var root = Path.GetFullPath(dataDirectory).TrimEnd(Path.DirectorySeparatorChar);
        var full = Path.GetFullPath(path);
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return;
        }

        var current = root;
        foreach (var part in full[(root.Length + 1)..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            if (OwnFiles.IsLink(current))
            {
                throw Of(current);
            }
        }
    }

    private static StoreFolderLinkedException Of(string link) => new(link, new FileInfo(link).LinkTarget);
}
