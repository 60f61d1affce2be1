namespace MailIntake.Worker.Intake;

/// <summary>
/// The drop folder is claimed by another store (<see cref="DropFolderClaim"/>): this pass took nothing from it.
/// <see cref="ClaimedBy"/> is the DataDirectory the marker names, null when the marker cannot be read as one. Not an
/// IOException: retrying the pass at once would not change the answer.
/// </summary>
public sealed class DropFolderClaimedException(string folder, string marker, string? claimedBy, string dataDirectory)
    : Exception($"Drop folder {folder} is claimed by another store ({claimedBy ?? "an unreadable marker"}, {marker}); {dataDirectory} took nothing from it")
{
    public string Folder { get; } = folder;

    public string Marker { get; } = marker;

    public string? ClaimedBy { get; } = claimedBy;

    public string DataDirectory { get; } = dataDirectory;

    /// <summary>
    /// When the claim is this same store's (a restored copy) in <see cref="ClaimedBy"/>, held now by a running worker: its
    /// PID. Null when another store claimed the folder.
    /// </summary>
    public int? SameStoreRunningPid { get; init; }
}
