using System.Security.Cryptography;
using System.Text;

namespace MailIntake.Storage.Tests;

public sealed class ContentStoreTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mailintake-store-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task SaveAsync_SameBytesTwice_StoresOneFileWithItsHashAndSize()
    {
        var store = ContentStore.Evidence(_folder);
        var bytes = Encoding.UTF8.GetBytes("防火牆規則");

        var first = await store.SaveAsync(new MemoryStream(bytes), CancellationToken.None);
        var second = await store.SaveAsync(new MemoryStream(bytes), CancellationToken.None);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), first.Sha256);
        Assert.Equal(bytes.Length, first.Size);
        Assert.Equal(first, second);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(store.FullPath(first.RelativePath)));
        Assert.Single(Directory.EnumerateFiles(Path.Combine(_folder, "evidence"), "*.bin", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task SaveAsync_WriterFails_LeavesNoTemporaryFile()
    {
        var store = ContentStore.RawMail(_folder);

        await Assert.ThrowsAsync<IOException>(() => store.SaveAsync((_, _) => throw new IOException("disk gone"), CancellationToken.None));

        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_folder, "raw"), "*", SearchOption.AllDirectories));
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
