using System.Diagnostics;

namespace MailIntake.EndToEnd.Tests.Harness;

/// <summary>
/// A small tmpfs mounted where a test's DataDirectory lives: filled to the last byte, or remounted read-only (what
/// ext4's default <c>errors=remount-ro</c> does after a disk error), to see what the program says about its own disk.
/// </summary>
public sealed class SmallDisk : IDisposable
{
    private static readonly Lazy<string?> Unusable = new(Probe);

    private SmallDisk(string mountPoint) => MountPoint = mountPoint;

    public string MountPoint { get; }

    /// <summary>Why a tmpfs cannot be mounted here (not root, no mount permission), or null when it can.</summary>
    public static string? WhyUnusable => Unusable.Value;

    public static SmallDisk Mount(string mountPoint, int megabytes)
    {
        Directory.CreateDirectory(mountPoint);
        Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m,mode=0700", "tmpfs", mountPoint);
        return new SmallDisk(mountPoint);
    }

    /// <summary>Fills the disk until a write fails for want of space (down to the last byte); the file that holds it is returned.</summary>
    public string Fill()
    {
        var fill = Path.Combine(MountPoint, "fill");
        // Unbuffered: each write reaches the file system, and nothing is left to fail on Dispose.
        using var file = new FileStream(fill, FileMode.Append, FileAccess.Write, FileShare.None, bufferSize: 0);
        foreach (var size in new[] { 64 * 1024, 4096, 1 })
        {
            var block = new byte[size];
            try
            {
                while (true)
                    file.Write(block);
            }
            catch (IOException)
            {
                // No room for another block of this size: go on with smaller ones.
            }
        }

        return fill;
    }

    /// <summary>Room made (or taken): the tmpfs's size changed in place, its files kept.</summary>
    public void Resize(int megabytes) => Run("mount", "-o", $"remount,size={megabytes}m", MountPoint);

    public void ReadOnly() => Run("mount", "-o", "remount,ro", MountPoint);

    public void ReadWrite() => Run("mount", "-o", "remount,rw", MountPoint);

    public void Dispose()
    {
        try
        {
            Run("umount", MountPoint);
        }
        catch (InvalidOperationException)
        {
            Run("umount", "--lazy", MountPoint);
        }
    }

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux() || !Environment.IsPrivilegedProcess)
            return "a tmpfs mount needs Linux and root";

        var folder = Path.Combine(Path.GetTempPath(), "mailintake-tmpfs-probe-" + Guid.NewGuid().ToString("N"));
        try
        {
            using (Mount(folder, 1))
            {
            }

            return null;
        }
        catch (Exception exception) when (exception is InvalidOperationException or System.ComponentModel.Win32Exception or IOException)
        {
            return $"a tmpfs cannot be mounted here: {exception.Message}";
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)}: exit {process.ExitCode}: {stderr.Trim()}");
    }
}

/// <summary>A fact that needs <see cref="SmallDisk"/>: skipped, with the reason, where a tmpfs cannot be mounted.</summary>
public sealed class SmallDiskFactAttribute : FactAttribute
{
    public SmallDiskFactAttribute()
    {
        if (SmallDisk.WhyUnusable is { } reason)
            Skip = reason;
    }
}
