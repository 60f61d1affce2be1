using MailIntake.Storage;

namespace MailIntake.Worker;

/// <summary>
/// A DataDirectory belongs to the user the service runs as (<c>mailintake</c>). A command an admin runs as root
/// (<c>sudo mailintake run --once</c>, a natural first step when something looks wrong) would otherwise leave root-owned
/// 0700 folders and 0600 files there — a raw mail, evidence, an outbox message — that the service can no longer read:
/// its mail then looked missing and was set <c>damaged</c>, every later mail whose hash fell into such a folder failed.
/// So a command run as root acts as the DataDirectory's owner, and a command run as another (non-root) user is refused
/// naming the owner.
/// </summary>
internal static class DataDirectoryOwner
{
    /// <summary>
    /// Before anything is written into <paramref name="dataDirectory"/>: as root, become its owner (uid, the owner's
    /// groups); as another user than its owner, refuse. Nothing to do on Windows, for a DataDirectory that does not exist
    /// yet (it is created by whoever runs first) or when the process is its owner.
    /// </summary>
    public static void Act(string dataDirectory)
    {
        if (OperatingSystem.IsWindows() || UnixFiles.Owner(dataDirectory) is not { } owner)
        {
            return;
        }

        var self = UnixFiles.EffectiveUserId;
        if (owner.Uid == self)
        {
            return;
        }

        var name = UnixFiles.User(owner.Uid);
        var ownerName = name?.Name ?? owner.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (self != 0)
        {
            throw new DataDirectoryOwnedByAnotherUserException(Path.GetFullPath(dataDirectory), ownerName, UnixFiles.UserName(self));
        }

        // The owner's primary group and supplementary groups (a pickup folder shared with a relay's group), as the service has them.
        UnixFiles.BecomeUser(owner.Uid, name?.Gid ?? owner.Gid, name?.Name);
    }

    /// <summary>
    /// Before <c>restore</c> writes anything: as root, become the owner of <paramref name="target"/> if it exists (the
    /// service's empty DataDirectory, a new disk mounted there), else of the nearest folder above it that exists (the
    /// folder the DataDirectory is made in), so that every restored file and folder is that user's (0600/0700) and the
    /// service can start on it. Returns who the restored store belongs to when run as root (null otherwise: the caller's),
    /// and whether that is root because that folder is root's. Not root: nothing changes (the caller writes as itself).
    /// </summary>
    public static (string Owner, bool Root)? ActForRestore(string target)
    {
        if (OperatingSystem.IsWindows() || UnixFiles.EffectiveUserId != 0)
        {
            return null;
        }

        var folder = Path.GetFullPath(target);
        while (!Directory.Exists(folder) && Path.GetDirectoryName(folder) is { } parent)
        {
            folder = parent;
        }

        if (UnixFiles.Owner(folder) is not { Uid: not 0 } owner)
        {
            return ("root", true);
        }

        var name = UnixFiles.User(owner.Uid);
        UnixFiles.BecomeUser(owner.Uid, name?.Gid ?? owner.Gid, name?.Name);
        return (name?.Name ?? owner.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture), false);
    }
}

/// <summary>A command run by a user other than the DataDirectory's owner (and not root): what it wrote would be out of the service's reach.</summary>
public sealed class DataDirectoryOwnedByAnotherUserException(string dataDirectory, string owner, string user)
    : IOException($"DataDirectory {dataDirectory} belongs to {owner}, not to {user}")
{
    public string DataDirectory { get; } = dataDirectory;

    public string Owner { get; } = owner;

    public string User { get; } = user;
}
