using System.Security.Cryptography;
using System.Text;

namespace MailIntake.Storage.Tests;

public sealed class ContentStoreTests : IDisposable
{
    private readonly string _folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "mailintake-store-" + Guid.NewGuid().ToString("N"))).FullName;

    /// <summary>
    /// Hostile finding h11y N11: a DataDirectory moved away mid-pass was made again at its old path by the next file
    /// written, which then held raw mail and evidence the moved store's rows named. A store writes below its
    /// DataDirectory, never the DataDirectory itself.
    /// </summary>
    [Fact]
    public async Task WriteAsync_DataDirectoryGone_ThrowsDataDirectoryGoneAndCreatesNothingAtItsPath()
    {
        var raw = ContentStore.RawMail(_folder);
        var pending = await raw.WriteAsync(Write("before the move"), CancellationToken.None);
        Directory.Move(_folder, _folder + ".moved");
        try
        {
            await Assert.ThrowsAsync<DataDirectoryGoneException>(() => raw.CommitAsync([pending], CancellationToken.None));
            await Assert.ThrowsAsync<DataDirectoryGoneException>(() => ContentStore.Evidence(_folder).SaveAsync(new MemoryStream([1, 2, 3]), CancellationToken.None));
            Assert.False(Directory.Exists(_folder), "nothing is made at the old path");
        }
        finally
        {
            Directory.Delete(_folder + ".moved", recursive: true);
        }
    }

    /// <summary>
    /// Hostile finding h11z F1: the DataDirectory's disk unmounted (an empty mount point left at its path), or a new folder
    /// made after it was moved: once pinned, another folder at its path is not it, and nothing is written there.
    /// </summary>
    [Fact]
    public async Task SaveAsync_PinnedDataDirectoryReplacedByAnEmptyFolder_ThrowsDataDirectoryGoneAndWritesNothingThere()
    {
        DataDirectoryGoneException.Pin(_folder);
        Directory.Move(_folder, _folder + ".moved");
        Directory.CreateDirectory(_folder);
        try
        {
            await Assert.ThrowsAsync<DataDirectoryGoneException>(() => ContentStore.RawMail(_folder).SaveAsync(new MemoryStream([1, 2, 3]), CancellationToken.None));
            Assert.Empty(Directory.EnumerateFileSystemEntries(_folder));
        }
        finally
        {
            Directory.Delete(_folder + ".moved", recursive: true);
        }
    }

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

    [Fact]
    public async Task CommitAsync_GroupWithTheSameContentTwice_StoresOneFileAndNamesItForBoth()
    {
        var store = ContentStore.RawMail(_folder);
        var first = await store.WriteAsync(Write("mail one"), CancellationToken.None);
        var again = await store.WriteAsync(Write("mail one"), CancellationToken.None);
        var other = await store.WriteAsync(Write("mail two"), CancellationToken.None);

        var stored = await store.CommitAsync([first, again, other], CancellationToken.None);

        Assert.Equal(stored[0], stored[1]);
        Assert.Equal(["mail one", "mail two"], stored.Distinct().Select(file => File.ReadAllText(store.FullPath(file.RelativePath))));
        Assert.Equal(2, Directory.EnumerateFiles(Path.Combine(_folder, "raw"), "*.eml", SearchOption.AllDirectories).Count());
        Assert.Empty(Directory.EnumerateFiles(store.TempFolder));
    }

    [Fact]
    public async Task WriteAsync_BeforeCommit_NothingIsInPlaceAndDiscardLeavesNoFile()
    {
        var store = ContentStore.RawMail(_folder);
        var pending = await store.WriteAsync(Write("not yet recorded"), CancellationToken.None);

        Assert.Equal([pending.TempPath], Directory.EnumerateFiles(Path.Combine(_folder, "raw"), "*", SearchOption.AllDirectories));
        ContentStore.Discard([pending]);

        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_folder, "raw"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task CommitAsync_StoredCopyDamaged_IsReplacedByTheSameContent()
    {
        var store = ContentStore.Evidence(_folder);
        var stored = await store.SaveAsync(new MemoryStream(Encoding.UTF8.GetBytes("scan")), CancellationToken.None);
        await File.WriteAllTextAsync(store.FullPath(stored.RelativePath), "sc");

        var again = await store.CommitAsync([await store.WriteAsync(Write("scan"), CancellationToken.None)], CancellationToken.None);

        Assert.Equal(stored, Assert.Single(again));
        Assert.Equal("scan", await File.ReadAllTextAsync(store.FullPath(stored.RelativePath)));
    }

    private static Func<Stream, CancellationToken, Task> Write(string text) =>
        (target, token) => target.WriteAsync(Encoding.UTF8.GetBytes(text), token).AsTask();

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
