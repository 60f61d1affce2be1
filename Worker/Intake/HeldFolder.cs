using MailIntake.Storage;

namespace MailIntake.Worker.Intake;

/// <summary>
/// One of the drop folder's own folders (<c>processed/</c>, <c>refused/</c>), opened once for a pass without following
/// a link (O_NOFOLLOW), and every file moved into it by that handle (renameat2): a link put in its place during the pass
/// is never followed (h20h J3: swapped in a loop, it took half an intake's mails to a folder outside the drop folder; the
/// check at the pass's start saw it only when it happened to be there then). A folder renamed away meanwhile still gets
/// the files — it is the drop folder's own. Off Linux, files are moved by path.
/// </summary>
internal sealed class HeldFolder : IDisposable
{
    private readonly int? descriptor;

    private HeldFolder(string path, int? descriptor)
    {
        Path = path;
        this.descriptor = descriptor;
    }

    public string Path { get; }

    /// <summary>Opens (making it first if need be) the folder at <paramref name="path"/>; a link there is refused.</summary>
    public static HeldFolder Open(string path)
    {
        if (new FileInfo(path).LinkTarget is { } target)
        {
            throw new DropFolderLinkedException(path, target);
        }

        Directory.CreateDirectory(path);
        if (!OperatingSystem.IsLinux())
        {
            return new HeldFolder(path, null);
        }

        return UnixFiles.OpenFolderNoFollow(path) is { } descriptor
            ? new HeldFolder(path, descriptor)
            : throw new DropFolderLinkedException(path, new FileInfo(path).LinkTarget);
    }

    /// <summary>
    /// Moves <paramref name="source"/> into this folder as <paramref name="name"/>, or the next free name (<c>NAME.1.eml</c>
    /// …, shortened to fit <see cref="DropFolderFiles.NameMax"/>), never replacing anything (a folder of that name too),
    /// durably. Returns the new path.
    /// </summary>
    public string MoveIn(string source, string name)
    {
        var candidate = name;
        for (var copy = 1; !TryMove(source, candidate); copy++)
        {
            candidate = DropFolderFiles.Fitted(name, $".{copy}");
        }

        return System.IO.Path.Combine(Path, candidate);
    }

    private bool TryMove(string source, string name)
    {
        if (descriptor is { } folder)
        {
            return UnixFiles.RenameInto(source, folder, Path, name);
        }

        var target = System.IO.Path.Combine(Path, name);
        if (System.IO.Path.Exists(target) || new FileInfo(target).LinkTarget is not null)
        {
            return false;
        }

        DurableFile.Move(source, target, overwrite: false);
        return true;
    }

    public void Dispose()
    {
        if (descriptor is { } folder)
        {
            UnixFiles.CloseDescriptor(folder);
        }
    }
}
