namespace MailIntake.Worker.Intake;

/// <summary>
/// A symbolic link where the drop folder keeps what it took (<c>processed/</c>) or set aside (<c>refused/</c>): never
/// followed (h17h P1: whoever may drop a file chose where the service moved the organisations' mails — its own store,
/// any folder it may write — and what a re-read after a restore read as mail). The pass takes nothing until the link is
/// a folder again; the mails wait in the drop folder. Not an IOException: retrying the pass at once would not change the
/// answer.
/// </summary>
public sealed class DropFolderLinkedException(string link, string? target)
    : Exception($"{link} is a symbolic link{(target is null ? "" : $" to {target}")} where the drop folder keeps its mails: not followed")
{
    /// <summary>The drop folder's own folders.</summary>
    public static readonly IReadOnlyList<string> Folders = ["processed", "refused"];

    /// <summary>The link's full path.</summary>
    public string Link { get; } = link;

    /// <summary>Where it points, as the link says it (null when it cannot be read).</summary>
    public string? Target { get; } = target;

    /// <summary>What it is and what to do, in one zh-TW line (the pass's error, <c>status</c>, the digest).</summary>
    public string Text =>
        $"{Link} 是符號連結{(Target is null ? "" : $"（指向 {Target}）")}，不是資料夾：本系統不經由連結搬移或讀取收件資料夾之郵件（收件暫停，郵件留在收件資料夾，"
        + $"未收下、未遺失）；請刪除該連結（rm {Link}），下次收件時本系統自建資料夾；如需存放於其他磁碟，請將該磁碟掛載於此路徑";

    /// <summary>Throws for the first of the drop folder's own folders (<see cref="Folders"/>) that is a symbolic link.</summary>
    public static void ThrowIfLinked(string dropFolder)
    {
        foreach (var folder in Folders.Select(name => Path.Combine(dropFolder, name)))
        {
            if (new FileInfo(folder).LinkTarget is { } target)
            {
                throw new DropFolderLinkedException(folder, target);
            }
        }
    }
}
