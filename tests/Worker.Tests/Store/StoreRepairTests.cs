using Dapper;
using MailIntake.Storage;
using MailIntake.Worker.Application;
using MailIntake.Worker.Intake;
using MimeKit;

namespace MailIntake.Worker.Tests.Store;

/// <summary>
/// <c>store verify</c> and <c>store repair</c> on a real DataDirectory: repair removes only the store's own files, never
/// through a link; it never deletes evidence a row names; a damaged mail whose raw file is restored comes back; one
/// unreadable file stops nothing; another delivery of a recorded mail leaves no orphan.
/// </summary>
public sealed class StoreRepairTests : IDisposable
{
    private readonly WorkerHarness _harness = new(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(8)));
    private readonly List<string> _outside = [];

    private string Data => Path.Combine(_harness.Folder, "data");

    [Fact]
    public async Task Repair_SymlinkedFoldersPointingOutside_NeitherFollowedNorDeleted()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 20));
        await IngestAsync(Reply(notice.Reference, "a.pdf"));
        var victimTemp = OutsideFolder("important.doc", "0123456789abcdef0123456789abcdef");
        var victimEvidence = OutsideFolder("cd" + new string('0', 61) + "1.bin", "notes.txt");
        Directory.Delete(Path.Combine(Data, "raw", "tmp"), recursive: true);
        Directory.CreateSymbolicLink(Path.Combine(Data, "raw", "tmp"), victimTemp);
        Directory.CreateSymbolicLink(Path.Combine(Data, "evidence", "cd"), victimEvidence);

        var report = await _harness.Get<StoreVerifier>().VerifyAsync(CancellationToken.None);
        var result = await _harness.Get<StoreRepair>().RepairAsync(CancellationToken.None);

        Assert.Equal(["evidence/cd", "raw/tmp"], report.Problems.Where(problem => problem.Kind == StoreProblemKind.Foreign).Select(problem => problem.Path).Order());
        Assert.DoesNotContain(report.Problems, problem => problem.Kind is StoreProblemKind.Leftover or StoreProblemKind.EvidenceOrphaned);
        Assert.Equal(4, Directory.GetFiles(victimTemp).Length + Directory.GetFiles(victimEvidence).Length);
        Assert.True(result.LeftoversCleared == 0 && result.OrphanedEvidenceRemoved == 0, $"nothing of the store's own was there to remove: {result}");
        Assert.Equal(2, result.Unrepaired.Count(problem => problem.Kind == StoreProblemKind.Foreign));
    }

    [Fact]
    public async Task Repair_FilesWithForeignNamesInStoreFolders_ReportedAndKept()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 20));
        await IngestAsync(Reply(notice.Reference, "a.pdf"));
        var evidenceFolder = Directory.GetDirectories(Path.Combine(Data, "evidence")).First(folder => Path.GetFileName(folder) != "tmp");
        var foreign = new[]
        {
            Path.Combine(Data, "raw", "tmp", "report.tmp"),
            Path.Combine(evidenceFolder, "notes.txt"),
            Path.Combine(Data, "raw", "stray.txt"),
        };
        foreach (var file in foreign)
            await File.WriteAllTextAsync(file, "not the store's");
        File.CreateSymbolicLink(Path.Combine(evidenceFolder, Path.GetFileName(evidenceFolder) + new string('e', 62) + ".bin"), foreign[1]);

        var result = await _harness.Get<StoreRepair>().RepairAsync(CancellationToken.None);

        Assert.All(foreign, file => Assert.True(File.Exists(file), $"{file} is not the store's: repair must leave it"));
        Assert.Equal(4, result.Unrepaired.Count(problem => problem.Kind == StoreProblemKind.Foreign));
    }

    [Fact]
    public async Task Repair_OrphanedRawMailWithItsEvidence_KeepsTheEvidenceItFilesAndVerifiesClean()
    {
        // The database was restored from an older backup while raw/ and evidence/ hold a later mail.
        using var earlier = new WorkerHarness(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(8)));
        var notice = earlier.IssueNotice(new DateOnly(2026, 12, 20));
        _harness.IssueNotice(new DateOnly(2026, 12, 20));
        await earlier.Get<IntakeProcessor>().IngestAsync(Serialize(Reply(notice.Reference, "a.pdf", "b.xlsx", "c.jpg")), "test", checkpoint: null, CancellationToken.None);
        CopyTree(Path.Combine(earlier.Folder, "data", "raw"), Path.Combine(Data, "raw"));
        CopyTree(Path.Combine(earlier.Folder, "data", "evidence"), Path.Combine(Data, "evidence"));
        var before = await _harness.Get<StoreVerifier>().VerifyAsync(CancellationToken.None);
        Assert.Equal(3, before.Problems.Count(problem => problem.Kind == StoreProblemKind.EvidenceOrphaned));

        var result = await _harness.Get<StoreRepair>().RepairAsync(CancellationToken.None);
        var after = await _harness.Get<StoreVerifier>().VerifyAsync(CancellationToken.None);

        Assert.True(after.Ok, $"verify must be clean after one repair: {string.Join("; ", after.Problems)}");
        Assert.Equal(1, result.RawRecorded);
        Assert.Equal(0, result.OrphanedEvidenceRemoved);
        Assert.Equal(3, after.EvidenceChecked);
    }

    [Fact]
    public async Task Repair_OrphanedRawMailFromBeforeAnOlderDatabaseWasRestored_KeepsItsArrivalTime()
    {
        using var earlier = new WorkerHarness(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(8)));
        var notice = earlier.IssueNotice(new DateOnly(2026, 12, 20));
        _harness.IssueNotice(new DateOnly(2026, 12, 20));
        await earlier.Get<IntakeProcessor>().IngestAsync(Serialize(Reply(notice.Reference, "a.pdf")), "test", checkpoint: null, CancellationToken.None);
        CopyTree(Path.Combine(earlier.Folder, "data", "raw"), Path.Combine(Data, "raw"));
        var raw = Directory.GetFiles(Path.Combine(Data, "raw"), "*.eml", SearchOption.AllDirectories).Single();
        // Arrived 3 days before the repair, after the notice it answers was issued (never before it: RecordReply).
        _harness.Time.Advance(TimeSpan.FromDays(4));
        var arrived = _harness.Time.GetUtcNow().AddDays(-3);
        File.SetLastWriteTimeUtc(raw, arrived.UtcDateTime);

        await _harness.Get<StoreRepair>().RepairAsync(CancellationToken.None);

        var mail = Assert.Single(_harness.Get<MailRepository>().List(null));
        Assert.True((mail.ReceivedAt - arrived).Duration() < TimeSpan.FromSeconds(1),
            $"recorded again by repair, the mail keeps the time its raw file was written ({arrived:O}), not the repair's: {mail.ReceivedAt:O}");
    }

    [Fact]
    public async Task Repair_DamagedReplyWhoseRawFileIsRestored_IsAReplyAgainFiledOnce()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 20));
        var mailId = (await IngestAsync(Reply(notice.Reference, "a.pdf"))).MailId;
        var raw = Path.Combine(Data, _harness.Get<MailRepository>().Get(mailId)!.Raw.RelativePath);
        var saved = raw + ".saved";
        File.Move(raw, saved);
        await _harness.Get<StoreRepair>().RepairAsync(CancellationToken.None);
        Assert.Equal(MailKind.Damaged, _harness.Get<MailRepository>().Get(mailId)!.Kind);

        File.Move(saved, raw);
        var result = await _harness.Get<StoreRepair>().RepairAsync(CancellationToken.None);

        var mail = _harness.Get<MailRepository>().Get(mailId)!;
        Assert.True(mail.Kind == MailKind.Reply && mail.Reason is null, $"the raw file is whole again: {mail}");
        Assert.Equal(1, result.MailsRevived);
        Assert.Equal(1, CountEvents("reply-filed"));
    }

    [Fact]
    public async Task Repair_DamagedUnmatchedMailWhoseRawFileIsRestored_IsProcessedAgain()
    {
        _harness.IssueNotice(new DateOnly(2026, 12, 20));
        var mailId = (await IngestAsync(Reply("no reference here", "a.pdf", from: "stranger@elsewhere.example"))).MailId;
        Assert.Equal(MailKind.Unmatched, _harness.Get<MailRepository>().Get(mailId)!.Kind);
        var raw = Path.Combine(Data, _harness.Get<MailRepository>().Get(mailId)!.Raw.RelativePath);
        var bytes = await File.ReadAllBytesAsync(raw);
        await File.WriteAllTextAsync(raw, "overwritten");
        await _harness.Get<StoreRepair>().RepairAsync(CancellationToken.None);
        Assert.Equal(MailKind.Damaged, _harness.Get<MailRepository>().Get(mailId)!.Kind);

        await File.WriteAllBytesAsync(raw, bytes);
        await _harness.Get<StoreRepair>().RepairAsync(CancellationToken.None);

        Assert.Equal(MailKind.Unmatched, _harness.Get<MailRepository>().Get(mailId)!.Kind);
        Assert.True((await _harness.Get<StoreVerifier>().VerifyAsync(CancellationToken.None)).Ok);
    }

    [Fact]
    public async Task Dismiss_DamagedMailNoBackupHolds_SettledAndNoLongerCounted()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 20));
        var mailId = (await IngestAsync(Reply(notice.Reference, "a.pdf"))).MailId;
        File.Delete(Path.Combine(Data, _harness.Get<MailRepository>().Get(mailId)!.Raw.RelativePath));
        await _harness.Get<StoreRepair>().RepairAsync(CancellationToken.None);
        Assert.Equal(1, _harness.Get<HealthQuery>().Get().MailsDamaged);

        await _harness.Get<DismissMail>().ExecuteAsync(new DismissMailCommand(mailId, "王小明", "原始檔遺失無從處理"), CancellationToken.None);

        Assert.NotNull(_harness.Get<MailRepository>().Get(mailId)!.Dismissal);
        Assert.Equal(0, _harness.Get<HealthQuery>().Get().MailsDamaged);
    }

    [Fact]
    public async Task Verify_DamagedMailStaffDismissed_ListedAsAcknowledgedNotAProblemAndRepairHasNothingLeft()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 20));
        var mailId = (await IngestAsync(Reply(notice.Reference, "a.pdf"))).MailId;
        var raw = _harness.Get<MailRepository>().Get(mailId)!.Raw.RelativePath;
        File.Delete(Path.Combine(Data, raw));
        Assert.NotEmpty((await _harness.Get<StoreRepair>().RepairAsync(CancellationToken.None)).Unrepaired);

        await _harness.Get<DismissMail>().ExecuteAsync(new DismissMailCommand(mailId, "王小明", "原始檔遺失無備份"), CancellationToken.None);
        var report = await _harness.Get<StoreVerifier>().VerifyAsync(CancellationToken.None);

        Assert.True(report.Ok, string.Join("; ", report.Problems));
        var known = Assert.Single(report.Acknowledged);
        Assert.Equal((StoreProblemKind.RawMissing, mailId), (known.Kind, known.MailId!.Value));
        Assert.Empty((await _harness.Get<StoreRepair>().RepairAsync(CancellationToken.None)).Unrepaired);
        // A new loss is not hidden behind the known one.
        File.Delete(Directory.GetFiles(Path.Combine(Data, "evidence"), "*.bin", SearchOption.AllDirectories)[0]);
        Assert.Single((await _harness.Get<StoreVerifier>().VerifyAsync(CancellationToken.None)).Problems);
    }

    [Fact]
    public async Task Verify_OneFileCannotBeRead_ReportsItAndChecksTheRest()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 20));
        var first = (await IngestAsync(Reply(notice.Reference, "a.pdf"))).MailId;
        var second = (await IngestAsync(Reply(notice.Reference + " 再寄", "b.pdf"))).MailId;
        var mails = _harness.Get<MailRepository>();
        File.Delete(Path.Combine(Data, mails.Get(second)!.Raw.RelativePath));
        // Another open file description holding an exclusive lock: .NET refuses to open it for reading (as EACCES or EIO would).
        await using var held = new FileStream(Path.Combine(Data, mails.Get(first)!.Raw.RelativePath), FileMode.Open, FileAccess.ReadWrite, FileShare.None);

        var report = await _harness.Get<StoreVerifier>().VerifyAsync(CancellationToken.None);
        var result = await _harness.Get<StoreRepair>().RepairAsync(CancellationToken.None);

        Assert.Contains(report.Problems, problem => problem.Kind == StoreProblemKind.Unreadable && problem.MailId == first);
        Assert.Contains(report.Problems, problem => problem.Kind == StoreProblemKind.RawMissing && problem.MailId == second);
        Assert.Equal(1, result.MailsMarkedDamaged);
        Assert.Contains(result.Unrepaired, problem => problem.Kind == StoreProblemKind.Unreadable);
        Assert.NotEqual(MailKind.Damaged, mails.Get(first)!.Kind);
    }

    [Fact]
    public async Task Intake_SameMailAgainWithOtherTransportHeaders_KeepsNoSecondRawFile()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 20));
        var raw = Serialize(Reply(notice.Reference, "a.pdf"));
        var relayed = new MemoryStream(System.Text.Encoding.ASCII.GetBytes("Received: from relay.example.tw by mx.intake.test; Tue, 1 Dec 2026 10:31:00 +0800\r\n")
            .Concat(raw.ToArray()).ToArray());
        var lf = new MemoryStream(System.Text.Encoding.Latin1.GetBytes(System.Text.Encoding.Latin1.GetString(raw.ToArray()).Replace("\r\n", "\n")));
        var processor = _harness.Get<IntakeProcessor>();
        await processor.IngestAsync(raw, "first", checkpoint: null, CancellationToken.None);

        var again = await processor.IngestAsync(relayed, "relayed", checkpoint: null, CancellationToken.None);
        var third = await processor.IngestAsync(lf, "lf", checkpoint: null, CancellationToken.None);

        Assert.False(again.IsNew, "relayed copy");
        Assert.False(third.IsNew, "LF copy");
        var report = await _harness.Get<StoreVerifier>().VerifyAsync(CancellationToken.None);
        Assert.True(report.Ok, $"another delivery of a recorded mail must leave nothing unrecorded: {string.Join("; ", report.Problems)}");
        Assert.Single(Directory.GetFiles(Path.Combine(Data, "raw"), "*.eml", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task RunPass_DamagedReplyWhoseRawFileIsPutBack_IsAReplyAgainWithoutRepairFiledOnce()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 20));
        var mailId = (await IngestAsync(Reply(notice.Reference, "a.pdf"))).MailId;
        var raw = Path.Combine(Data, _harness.Get<MailRepository>().Get(mailId)!.Raw.RelativePath);
        File.Move(raw, raw + ".saved");
        await _harness.Get<StoreRepair>().RepairAsync(CancellationToken.None);
        Assert.Equal(MailKind.Damaged, _harness.Get<MailRepository>().Get(mailId)!.Kind);

        File.Move(raw + ".saved", raw);
        await _harness.Get<IntakeRunner>().RunPassAsync(CancellationToken.None);

        var mail = _harness.Get<MailRepository>().Get(mailId)!;
        Assert.True(mail.Kind == MailKind.Reply && mail.Reason is null, $"the next intake pass brings it back: {mail}");
        Assert.Equal(1, CountEvents("reply-filed"));
        Assert.Equal(0, _harness.Get<HealthQuery>().Get().MailsDamaged);
    }

    [Fact]
    public async Task RunPass_DamagedRawFileMendedInPlaceAfterAPassFoundItDamaged_IsAReplyAgain()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 20));
        var mailId = (await IngestAsync(Reply(notice.Reference, "a.pdf"))).MailId;
        var raw = Path.Combine(Data, _harness.Get<MailRepository>().Get(mailId)!.Raw.RelativePath);
        var bytes = await File.ReadAllBytesAsync(raw);
        await File.WriteAllBytesAsync(raw, new byte[bytes.Length]);
        await _harness.Get<StoreRepair>().RepairAsync(CancellationToken.None);
        await _harness.Get<IntakeRunner>().RunPassAsync(CancellationToken.None);
        Assert.Equal(MailKind.Damaged, _harness.Get<MailRepository>().Get(mailId)!.Kind);

        await File.WriteAllBytesAsync(raw, bytes);
        await _harness.Get<IntakeRunner>().RunPassAsync(CancellationToken.None);

        var mail = _harness.Get<MailRepository>().Get(mailId)!;
        Assert.True(mail.Kind == MailKind.Reply, $"a file found damaged before and mended since is hashed again: {mail}");
        Assert.Equal(1, CountEvents("reply-filed"));
    }

    [Fact]
    public async Task RunPass_DamagedUnmatchedMailWhoseRawFileIsPutBack_IsProcessed()
    {
        _harness.IssueNotice(new DateOnly(2026, 12, 20));
        var mailId = (await IngestAsync(Reply("no reference here", "a.pdf", from: "stranger@elsewhere.example"))).MailId;
        var raw = Path.Combine(Data, _harness.Get<MailRepository>().Get(mailId)!.Raw.RelativePath);
        var bytes = await File.ReadAllBytesAsync(raw);
        File.Delete(raw);
        await _harness.Get<StoreRepair>().RepairAsync(CancellationToken.None);

        await File.WriteAllBytesAsync(raw, bytes);
        await _harness.Get<IntakeRunner>().RunPassAsync(CancellationToken.None);

        Assert.Equal(MailKind.Unmatched, _harness.Get<MailRepository>().Get(mailId)!.Kind);
    }

    [Fact]
    public async Task Repair_OrphanedRawFileWhoseNameIsNotItsHash_RecordedOnceAndVerifyClean()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 20));
        var bytes = Serialize(Reply(notice.Reference, "a.pdf")).ToArray();
        var misnamed = Path.Combine(Data, "raw", "e0", "e0" + new string('0', 61) + "7.eml");
        Directory.CreateDirectory(Path.GetDirectoryName(misnamed)!);
        await File.WriteAllBytesAsync(misnamed, bytes);

        var first = await _harness.Get<StoreRepair>().RepairAsync(CancellationToken.None);
        var second = await _harness.Get<StoreRepair>().RepairAsync(CancellationToken.None);
        var after = await _harness.Get<StoreVerifier>().VerifyAsync(CancellationToken.None);

        Assert.True(first.RawRecorded == 1 && first.MisnamedRawRemoved == 1, $"{first}");
        Assert.True(second.RawRecorded == 0 && second.MisnamedRawRemoved == 0, $"a second repair has nothing left to do: {second}");
        Assert.True(after.Ok, $"verify must be clean: {string.Join("; ", after.Problems)}");
        Assert.Single(_harness.Get<MailRepository>().List(MailKind.Reply));
        Assert.False(File.Exists(misnamed));
    }

    [Fact]
    public async Task Repair_RawMailDamagedInsideAnotherAttachment_RebuildsTheLostFileAndWritesNoOrphan()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 20));
        var mailId = (await IngestAsync(Reply(notice.Reference, ["a.pdf", "b.pdf"]))).MailId;
        var evidence = _harness.Get<EvidenceRepository>().ListForMail(mailId).ToDictionary(file => file.FileName, file => file.StoredPath);
        File.Delete(Path.Combine(Data, evidence["a.pdf"]));
        File.Delete(Path.Combine(Data, evidence["b.pdf"]));
        var raw = Path.Combine(Data, _harness.Get<MailRepository>().Get(mailId)!.Raw.RelativePath);
        var text = await File.ReadAllTextAsync(raw);
        var encodedB = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"content of b.pdf for {notice.Reference}"));
        // Characters 12-15 encode "f b" (of b.pdf): unique to the second attachment, so only it decodes wrong.
        var unique = encodedB[..16];
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(text, System.Text.RegularExpressions.Regex.Escape(unique)));
        await File.WriteAllTextAsync(raw, text.Replace(unique, encodedB[..12] + "AAAA", StringComparison.Ordinal));

        var result = await _harness.Get<StoreRepair>().RepairAsync(CancellationToken.None);
        var after = await _harness.Get<StoreVerifier>().VerifyAsync(CancellationToken.None);

        Assert.Equal(1, result.EvidenceRebuilt);
        Assert.True(File.Exists(Path.Combine(Data, evidence["a.pdf"])), "a.pdf decodes whole from the raw mail");
        Assert.DoesNotContain(after.Problems, problem => problem.Kind == StoreProblemKind.EvidenceOrphaned);
    }

    [Fact]
    public async Task Verify_FolderWhereAnEvidenceFileBelongs_ForeignNotRepairableAndRepairGoesOn()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 20));
        var mailId = (await IngestAsync(Reply(notice.Reference, ["a.pdf", "b.pdf"]))).MailId;
        var stored = _harness.Get<EvidenceRepository>().ListForMail(mailId).Select(file => Path.Combine(Data, file.StoredPath)).Order().ToList();
        File.Delete(stored[0]);
        Directory.CreateDirectory(stored[0]);
        File.Delete(stored[1]);

        var report = await _harness.Get<StoreVerifier>().VerifyAsync(CancellationToken.None);
        var result = await _harness.Get<StoreRepair>().RepairAsync(CancellationToken.None);

        Assert.Equal([StoreProblemKind.EvidenceMissing, StoreProblemKind.Foreign], report.Problems.Select(problem => problem.Kind).Order());
        Assert.False(StoreRepair.CanRepair(StoreProblemKind.Foreign));
        Assert.Equal(1, result.EvidenceRebuilt);
        Assert.True(Directory.Exists(stored[0]), "repair never removes a folder");
        Assert.Equal(StoreProblemKind.Foreign, Assert.Single(result.Unrepaired).Kind);
    }

    [Fact]
    public async Task Repair_MailRecordedButNotProcessed_IsProcessedAndSaidSo()
    {
        // A mail recorded whose processing did not finish (a repair or a run killed in between, or a passing error):
        // verify has nothing to say about it, and the next repair used to report nothing to do (h11x F8).
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 20));
        var outbound = Path.Combine(Data, "outbound");
        await File.WriteAllTextAsync(outbound, "a file where the outbox folder belongs");
        await IngestAsync(Reply(notice.Reference, "a.pdf"));
        Assert.Equal(MailKind.Received, Assert.Single(_harness.Get<MailRepository>().List(null)).Kind);
        File.Delete(outbound);

        var result = await _harness.Get<StoreRepair>().RepairAsync(CancellationToken.None);

        Assert.Equal(1, result.PendingProcessed);
        Assert.Equal(MailKind.Reply, Assert.Single(_harness.Get<MailRepository>().List(null)).Kind);
    }

    [Fact]
    public async Task Verify_OutboxFileNoRowNamesAndStrayFiles_ReportedAndRepairRemovesOnlyTheOutboxOrphan()
    {
        _harness.IssueNotice(new DateOnly(2026, 12, 20));
        var outbound = Path.Combine(Data, "outbound");
        Directory.CreateDirectory(outbound);
        Directory.CreateDirectory(Path.Combine(Data, "evidence"));
        var orphan = Path.Combine(outbound, new string('d', 64) + ".eml");
        await File.WriteAllTextAsync(orphan, "Subject: rolled back\r\n\r\n");
        await File.WriteAllTextAsync(Path.Combine(outbound, "deadbeef.eml"), "junk");
        await File.WriteAllTextAsync(Path.Combine(Data, "evidence", "stray.bin"), "stray");

        var report = await _harness.Get<StoreVerifier>().VerifyAsync(CancellationToken.None);
        var result = await _harness.Get<StoreRepair>().RepairAsync(CancellationToken.None);

        Assert.Equal(["evidence/stray.bin", "outbound/" + new string('d', 64) + ".eml", "outbound/deadbeef.eml"], report.Problems.Select(problem => problem.Path).Order(StringComparer.Ordinal));
        Assert.Equal(StoreProblemKind.OutboundOrphaned, report.Problems.Single(problem => problem.Path.EndsWith("dddd.eml", StringComparison.Ordinal)).Kind);
        Assert.Equal(1, result.OutboundOrphansRemoved);
        Assert.False(File.Exists(orphan));
        Assert.True(File.Exists(Path.Combine(outbound, "deadbeef.eml")));
    }

    [Fact]
    public async Task Verify_BesideARunningWorker_FreshUnrecordedFilesAreInFlightOldOnesAreProblems()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 20));
        await IngestAsync(Reply(notice.Reference, "a.pdf"));
        var fresh = Path.Combine(Data, "raw", "tmp", "0123456789abcdef0123456789abcdef");
        var orphan = Path.Combine(Data, "raw", "ab", "ab" + new string('1', 62) + ".eml");
        Directory.CreateDirectory(Path.GetDirectoryName(orphan)!);
        await File.WriteAllTextAsync(fresh, "half a mail");
        await File.WriteAllTextAsync(orphan, "a mail whose row is about to commit");
        // A stale worker.pid naming a live process that holds no lock (a PID reused after a crash) is no worker.
        using (var stranger = System.Diagnostics.Process.Start("sleep", ["600"]))
        {
            await File.WriteAllTextAsync(Path.Combine(Data, DataDirectoryLock.PidFileName), stranger.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var stale = await _harness.Get<StoreVerifier>().VerifyAsync(CancellationToken.None);
            stranger.Kill();
            Assert.True(stale.InFlight.Count == 0 && stale.Problems.Count == 2, $"a stale PID hides nothing: {string.Join("; ", stale.Problems)}");
        }

        // Another process holding the flock on the DataDirectory, as the worker does.
        using var worker = System.Diagnostics.Process.Start("flock", [Data, "sleep", "600"]);
        try
        {
            await WaitForLockAsync();
            // What the worker is writing: written since it started.
            File.SetLastWriteTimeUtc(fresh, DateTime.UtcNow);
            File.SetLastWriteTimeUtc(orphan, DateTime.UtcNow);

            var future = Path.Combine(Data, "raw", "cd", "cd" + new string('2', 62) + ".eml");
            Directory.CreateDirectory(Path.GetDirectoryName(future)!);
            await File.WriteAllTextAsync(future, "a file from a clock that was ahead");
            File.SetLastWriteTimeUtc(future, DateTime.UtcNow.AddYears(4));
            var withFuture = await _harness.Get<StoreVerifier>().VerifyAsync(CancellationToken.None);
            File.Delete(future);
            Assert.Contains(withFuture.Problems, problem => problem.Path.EndsWith(Path.GetFileName(future), StringComparison.Ordinal));

            var beside = await _harness.Get<StoreVerifier>().VerifyAsync(CancellationToken.None);
            File.SetLastWriteTimeUtc(orphan, DateTime.UtcNow - StoreVerifier.InFlightWindow - TimeSpan.FromMinutes(1));
            var later = await _harness.Get<StoreVerifier>().VerifyAsync(CancellationToken.None);

            Assert.True(beside.Ok && beside.InFlight.Count == 2, $"files the worker is writing are not damage: {string.Join("; ", beside.Problems)}");
            Assert.Equal(StoreProblemKind.RawOrphaned, Assert.Single(later.Problems).Kind);
        }
        finally
        {
            worker.Kill(entireProcessTree: true);
        }

        await worker.WaitForExitAsync();
        var alone = await _harness.Get<StoreVerifier>().VerifyAsync(CancellationToken.None);
        Assert.Equal(2, alone.Problems.Count);
    }

    /// <summary>
    /// h22h M4: a worker killed seconds after writing files left them unrecorded; beside the worker started next, verify
    /// called them in flight for ten minutes. A file written before the running worker started is no work of its — by
    /// the lock holder's own start: <c>worker.pid</c> touched back an hour, or removed, changes nothing (h30h P1).
    /// </summary>
    [Fact]
    public async Task Verify_BesideAWorkerStartedAfterTheFilesWereWritten_TheyAreProblemsNotInFlight()
    {
        var tmp = Path.Combine(Data, "raw", "tmp", "0123456789abcdef0123456789abcdef");
        var orphan = Path.Combine(Data, "raw", "ab", "ab" + new string('1', 62) + ".eml");
        Directory.CreateDirectory(Path.GetDirectoryName(tmp)!);
        Directory.CreateDirectory(Path.GetDirectoryName(orphan)!);
        await File.WriteAllTextAsync(tmp, "half a mail the killed worker was writing");
        await File.WriteAllTextAsync(orphan, "a mail whose row the killed worker never committed");
        var killedAt = DateTime.UtcNow;
        File.SetLastWriteTimeUtc(tmp, killedAt.AddSeconds(-2));
        File.SetLastWriteTimeUtc(orphan, killedAt.AddSeconds(-2));

        using var worker = System.Diagnostics.Process.Start("flock", [Data, "sleep", "600"]);
        try
        {
            await WaitForLockAsync();
            var pidFile = Path.Combine(Data, DataDirectoryLock.PidFileName);
            // A worker.pid edited to name another process: the holder is who holds the lock (status shows its PID).
            await File.WriteAllTextAsync(pidFile, "999999");
            Assert.Equal(worker.Id, DataDirectoryLock.HolderPid(Data));
            var verifier = _harness.Get<StoreVerifier>();

            var beside = await verifier.VerifyAsync(CancellationToken.None);
            File.SetLastWriteTimeUtc(pidFile, killedAt.AddHours(-1));
            var touched = await verifier.VerifyAsync(CancellationToken.None);
            File.Delete(pidFile);
            var removed = await verifier.VerifyAsync(CancellationToken.None);

            foreach (var report in new[] { beside, touched, removed })
            {
                Assert.Empty(report.InFlight);
                Assert.Equal(
                    [StoreProblemKind.RawOrphaned, StoreProblemKind.Leftover],
                    report.Problems.Select(problem => problem.Kind).Order());
            }
        }
        finally
        {
            worker.Kill(entireProcessTree: true);
        }
    }

    private async Task WaitForLockAsync()
    {
        for (var attempt = 0; !DataDirectoryLock.WorkerSeemsRunning(Data); attempt++)
        {
            Assert.True(attempt < 600, "flock never took the lock");
            await Task.Delay(100);
        }
    }

    public void Dispose()
    {
        _harness.Dispose();
        foreach (var folder in _outside)
            Directory.Delete(folder, recursive: true);
    }

    private async Task<RecordResult> IngestAsync(MimeMessage message) =>
        await _harness.Get<IntakeProcessor>().IngestAsync(Serialize(message), "test", checkpoint: null, CancellationToken.None);

    private static MimeMessage Reply(string subject, params string[] attachments) => TestMail.Reply(subject, attachments);

    private static MimeMessage Reply(string subject, string attachment, string from) => TestMail.Reply(subject, [attachment], from);

    private static MemoryStream Serialize(MimeMessage message) => TestMail.Serialize(message);

    private string OutsideFolder(params string[] files)
    {
        var folder = Path.Combine(Path.GetTempPath(), "mailintake-outside-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        _outside.Add(folder);
        foreach (var file in files)
            File.WriteAllText(Path.Combine(folder, file), "someone else's file");
        return folder;
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private int CountEvents(string kind)
    {
        using var connection = _harness.Get<Database>().Open();
        return connection.ExecuteScalar<int>("SELECT COUNT(*) FROM timeline WHERE event = @kind", new { kind });
    }
}
