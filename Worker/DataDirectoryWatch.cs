using MailIntake.Storage;
using MailIntake.Worker.Options;

namespace MailIntake.Worker;

/// <summary>
/// The worker locks its DataDirectory folder but works by path: a folder moved away (or replaced by a restore) under it
/// must stop it, never be re-created empty at the old path while a second worker locks the new folder there. Which
/// folder the path names is taken when the worker has locked it (<see cref="Start"/>); the intake loop and every job
/// check it before they touch anything.
/// </summary>
public sealed class DataDirectoryWatch(MailIntakeOptions options)
{
    private readonly Lazy<(ulong Device, ulong Inode)?> _locked = new(() => UnixFiles.Identity(System.IO.Path.GetFullPath(options.DataDirectory)));

    public string Path => System.IO.Path.GetFullPath(options.DataDirectory);

    /// <summary>Notes the folder the path names now: the one just locked.</summary>
    public void Start() => _ = _locked.Value;

    /// <summary>Whether the path still names the folder noted at <see cref="Start"/>.</summary>
    public bool StillInPlace() => UnixFiles.Identity(Path) == _locked.Value;
}
