using System.Security.Cryptography;
using System.Text;
using MailIntake.Storage;
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

    private static byte[] Load(MailIntakeOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.Staff.ActionKey))
        {
            return Encoding.UTF8.GetBytes(options.Staff.ActionKey.Trim());
        }

        var path = Path.Combine(options.DataDirectory, FileName);
        if (!File.Exists(path))
        {
            Create(path);
        }

        var text = File.ReadAllText(path).Trim();
        try
        {
            var key = Convert.FromBase64String(text);
            return key.Length >= 32 ? key : throw new InvalidOperationException($"{path} holds a key shorter than 32 bytes");
        }
        catch (FormatException exception)
        {
            throw new InvalidOperationException($"{path} is not a base64 key: {exception.Message}", exception);
        }
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
