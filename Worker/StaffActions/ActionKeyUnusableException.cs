namespace MailIntake.Worker.StaffActions;

/// <summary>
/// The action-link key file is there but cannot be used: cut to nothing, garbled (a failing disk, an interrupted copy), a
/// folder, or out of this user's reach. Only staff links depend on it: the store, intake and every other job go on.
/// </summary>
public sealed class ActionKeyUnusableException(string file, string reason, Exception? inner = null)
    : IOException($"action-link key {file} cannot be used: {reason}", inner)
{
    public string File { get; } = file;

    /// <summary>What is wrong with it, in zh-TW.</summary>
    public string Reason { get; } = reason;
}
