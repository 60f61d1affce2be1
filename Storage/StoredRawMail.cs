using System.Security.Cryptography;

namespace MailIntake.Storage;

/// <summary>A raw mail handed out (<c>mail show --raw -o</c>): only the bytes recorded at intake, checked on the way.</summary>
public static class StoredRawMail
{
    /// <summary>The raw file no longer holds the SHA-256 and size its row records; nothing was written.</summary>
    public sealed class AlteredException(string path) : IOException($"{path} differs from its recorded SHA-256 or size");

    /// <summary>
    /// Copies the raw file to <paramref name="destination"/> (write, fsync, rename) while hashing it; if the bytes are
    /// not those recorded, the copy is dropped before the rename and <see cref="AlteredException"/> is thrown.
    /// </summary>
    public static Task CopyCheckedAsync(string rawPath, StoredFile recorded, string destination, CancellationToken cancellationToken) =>
        DurableFile.WriteAsync(destination, async (target, token) =>
        {
            await using var source = UnixFiles.OpenRegular(rawPath);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[81920];
            long length = 0;
            int read;
            while ((read = await source.ReadAsync(buffer, token)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                length += read;
                if (length > recorded.Size)
                {
                    throw new AlteredException(rawPath); // longer than recorded: stop here, whatever keeps the bytes coming
                }

                await target.WriteAsync(buffer.AsMemory(0, read), token);
            }

            if (length != recorded.Size || !string.Equals(Convert.ToHexStringLower(hash.GetHashAndReset()), recorded.Sha256, StringComparison.Ordinal))
            {
                throw new AlteredException(rawPath);
            }
        }, cancellationToken);
}
