using System.Security.Cryptography;
using System.Text;
using MailIntake.Storage;
using MailIntake.Worker.Application;
using MailIntake.Worker.Options;

namespace MailIntake.Worker.StaffActions;

/// <summary>
/// The key action links are signed with: Staff:ActionKey when set, otherwise 32 random bytes generated once into
/// DataDirectory/action-link.key (owner read/write only), so links keep working across restarts.
/// </summary>
public sealed class ActionKeyStore(MailIntakeOptions options)
{
    public const string FileName = "action-link.key";

    private readonly Lazy<byte[]> _key = new(() => Load(options), LazyThreadSafetyMode.ExecutionAndPublication);

    public byte[] Key => _key.Value;

    public string FilePath => Path.Combine(options.DataDirectory, FileName);

    /// <summary>
    /// Why the key cannot be used (<see cref="ActionKeyUnusableException"/>), or null when it can (or is configured).
    /// Only staff links need it: a caller that can do without them asks this instead of failing.
    /// </summary>
    public ActionKeyUnusableException? Problem()
    {
        try
        {
            _ = Key;
            return null;
        }
        catch (ActionKeyUnusableException unusable)
        {
            return unusable;
        }
    }

    /// <summary>As <see cref="Problem"/>, never generating a key that is not there (<c>store verify</c> only looks).</summary>
    public ActionKeyUnusableException? ProblemIfThere() =>
        string.IsNullOrWhiteSpace(options.Staff.ActionKey) && !Path.Exists(FilePath) ? null : Problem();

    /// <summary>Generates the key file on a store's first start, unless configured or already there (whole or not).</summary>
    public void EnsureCreated()
    {
        if (string.IsNullOrWhiteSpace(options.Staff.ActionKey) && !Path.Exists(FilePath) && new FileInfo(FilePath).LinkTarget is null)
        {
            Create(FilePath);
        }
    }

    private static byte[] Load(MailIntakeOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.Staff.ActionKey))
        {
            return Encoding.UTF8.GetBytes(options.Staff.ActionKey.Trim());
        }

        var path = Path.Combine(options.DataDirectory, FileName);
        if (Directory.Exists(path))
        {
            throw new ActionKeyUnusableException(path, "是資料夾，不是金鑰檔");
        }

        if (!File.Exists(path))
        {
            Create(path);
        }

        string text;
        try
        {
            text = File.ReadAllText(path).Trim();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new ActionKeyUnusableException(path, FileErrorText.Describe(exception), exception);
        }

        if (text.Length == 0)
        {
            throw new ActionKeyUnusableException(path, $"{new FileInfo(path).Length} 位元組，沒有金鑰（磁碟錯誤或複製中斷）");
        }

        byte[] key;
        try
        {
            key = Convert.FromBase64String(text);
        }
        catch (FormatException exception)
        {
            throw new ActionKeyUnusableException(path, "內容不是本程式寫入之 base64 金鑰（磁碟錯誤或複製中斷）", exception);
        }

        return key.Length >= 32 ? key : throw new ActionKeyUnusableException(path, $"金鑰只有 {key.Length} 位元組，至少須 32 位元組");
    }

    /// <summary>Written under a temporary name and moved into place without overwriting: two processes starting at once keep the first key.</summary>
    private static void Create(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        var file = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            file.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, file))
        using (var writer = new StreamWriter(stream))
        {
            writer.WriteLine(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }

        try
        {
            File.Move(temporary, path, overwrite: false);
            // The rename is durable too: a key lost to a power loss would void every link already mailed.
            DurableFile.SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process generated it first: theirs is the key.
            File.Delete(temporary);
        }
    }
}
