namespace MailIntake.Worker.Intake;

/// <summary>A drop-folder file that could not be taken this pass, and why; <paramref name="Size"/> its length when known.</summary>
public sealed record SkippedDropFile(string Path, Exception Error, long? Size);

/// <summary>
/// A pass that took every drop-folder file it could and skipped <see cref="Files"/> (no permission, no room): the pass
/// fails, so <c>status</c> and <c>run --once</c> name them, and the next pass tries them again. Not an IOException:
/// retrying the pass at once would not change the answer. A file recorded but not movable to <c>processed/</c> is not
/// among them — it was received (h15h K6): it is named as such (<see cref="Storage.DropFileWait.NotMoved"/>).
/// </summary>
public sealed class DropFilesSkippedException(IReadOnlyList<SkippedDropFile> files, int added)
    : Exception($"{files.Count} drop folder file(s) could not be taken: {string.Join("; ", files.Select(file => $"{file.Path}: {file.Error.Message}"))}", files[0].Error)
{
    public IReadOnlyList<SkippedDropFile> Files { get; } = files;

    /// <summary>New mails the same pass recorded.</summary>
    public int Added { get; } = added;
}
