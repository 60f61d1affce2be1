using System.Diagnostics;

namespace MailIntake.EndToEnd.Tests.Harness;

/// <summary>
/// A small ext4 file system on a loop device, mounted where a test's DataDirectory lives, whose power can be cut.
/// <see cref="CutPower"/> copies the device's backing file as the device holds it at that instant — what the file
/// system has written to it, not what is still dirty in the page cache — then mounts that copy in place of the disk
/// (ext4 replays its journal, as after a reboot). Data the program did not flush is, as after a real power loss,
/// missing or short; the kernel's periodic writeback (30 s) rarely runs in between, so unflushed data is lost for real.
/// </summary>
public sealed class LoopDisk : IDisposable
{
    private const long ImageBytes = 512L * 1024 * 1024;

    private static readonly Lazy<string?> Unusable = new(Probe);

    private readonly string _folder;
    private readonly string _mountPoint;
    private string _image;
    private string? _device;
    private int _cuts;

    private LoopDisk(string folder, string mountPoint)
    {
        _folder = folder;
        _mountPoint = mountPoint;
        _image = Path.Combine(folder, "disk-0.img");
    }

    /// <summary>Why loop disks cannot be used here (not root, no loop device, no mkfs.ext4), or null when they can.</summary>
    public static string? WhyUnusable => Unusable.Value;

    /// <summary>A fresh ext4 of 512 MB (sparse) in <paramref name="folder"/>, mounted at <paramref name="mountPoint"/>.</summary>
    public static LoopDisk Mount(string folder, string mountPoint)
    {
        Directory.CreateDirectory(folder);
        Directory.CreateDirectory(mountPoint);
        var disk = new LoopDisk(folder, mountPoint);
        using (var image = File.Create(disk._image))
            image.SetLength(ImageBytes);
        // As Debian's installer mounts it: after a disk error the file system turns read-only.
        Run("mkfs.ext4", "-q", "-F", "-e", "remount-ro", disk._image);
        disk.Attach();
        return disk;
    }

    /// <summary>Cuts the power: what the device holds now is all that is left, mounted again after a journal replay.</summary>
    public void CutPower()
    {
        var survived = Path.Combine(_folder, $"disk-{++_cuts}.img");

        // Read through the backing file's page cache: every write the loop device completed, none the file system
        // still holds dirty. Then the old disk is thrown away (its unmount flushes, but only into the old image).
        Run("cp", "--sparse=always", _image, survived);
        Detach();
        File.Delete(_image);
        _image = survived;
        Attach();
    }

    /// <summary>
    /// What a real I/O error does to ext4 (the kernel's own fault injection): with errors=remount-ro every write is
    /// refused from then on, while newer kernels leave the mount's read-only flag unset (the superblock is emergency_ro).
    /// </summary>
    public void FailLikeADiskError() =>
        File.WriteAllText($"/sys/fs/ext4/{Path.GetFileName(_device)}/trigger_fs_error", "1");

    /// <summary>Whether this kernel can inject an ext4 error (<see cref="FailLikeADiskError"/>).</summary>
    public bool CanFailLikeADiskError => File.Exists($"/sys/fs/ext4/{Path.GetFileName(_device)}/trigger_fs_error");

    /// <summary>
    /// Gives <paramref name="path"/> (a file on this disk) the status-change time <paramref name="utc"/>, which no system
    /// call can set (the kernel stamps it with its own clock): the disk is unmounted, the inode edited with debugfs, and
    /// the disk mounted again. What "the file last changed here that long ago" looks like without waiting that long.
    /// </summary>
    public void SetStatusChangeTime(string path, DateTime utc)
    {
        var inside = "/" + Path.GetRelativePath(_mountPoint, path);
        var seconds = new DateTimeOffset(utc, TimeSpan.Zero).ToUnixTimeSeconds();
        Detach();
        Run("debugfs", "-w", "-R", $"set_inode_field {inside} ctime @{seconds}", _image);
        Attach();
        // debugfs reports a bad request on stderr with exit 0: the time is checked.
        var set = Run("stat", "-c", "%Z", path).Trim();
        if (set != seconds.ToString(System.Globalization.CultureInfo.InvariantCulture))
            throw new InvalidOperationException($"debugfs did not set the status-change time of {path}: {set}, not {seconds}");
    }

    public void Dispose()
    {
        if (_device is not null)
            Detach();
    }

    private void Attach()
    {
        _device = Run("losetup", "--find", "--show", _image).Trim();
        Run("mount", "-t", "ext4", _device, _mountPoint);
    }

    private void Detach()
    {
        var device = _device!;
        _device = null;
        try
        {
            Run("umount", _mountPoint);
        }
        catch (InvalidOperationException)
        {
            // Still busy (a test failed with a program running): unmount lazily; the device goes with its last user.
            Run("umount", "--lazy", _mountPoint);
        }

        Run("losetup", "--detach", device);
    }

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux() || !Environment.IsPrivilegedProcess)
            return "a loop device needs Linux and root";
        if (!File.Exists("/dev/loop-control"))
            return "no /dev/loop-control";

        var folder = Path.Combine(Path.GetTempPath(), "mailintake-loop-probe-" + Guid.NewGuid().ToString("N"));
        try
        {
            using (Mount(folder, Path.Combine(folder, "mnt")))
            {
            }

            return null;
        }
        catch (Exception exception) when (exception is InvalidOperationException or System.ComponentModel.Win32Exception or IOException)
        {
            return $"a loop device cannot be mounted here: {exception.Message}";
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Runs a system command (mount, chown…) and returns its stdout; a non-zero exit throws with its stderr.</summary>
    internal static string Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)}: exit {process.ExitCode}: {stderr.Trim()}");
        return stdout.Result;
    }
}

/// <summary>A fact that needs <see cref="LoopDisk"/>: skipped, with the reason, where loop devices cannot be mounted.</summary>
public sealed class LoopDiskFactAttribute : FactAttribute
{
    public LoopDiskFactAttribute()
    {
        if (LoopDisk.WhyUnusable is { } reason)
            Skip = reason;
    }
}
