using MailIntake.Storage;
using MailIntake.Worker.Jobs;
using MailIntake.Worker.Application;
using Microsoft.Extensions.DependencyInjection;

namespace MailIntake.Worker.Tests.Jobs;

public sealed class DeadlineRemindersTests : IDisposable
{
    // Deadline Thursday 2026-12-10; DaysBefore 7,3,1 → Thu 12-03, Mon 12-07, Wed 12-09 at 09:00.
    private static readonly DateOnly Deadline = new(2026, 12, 10);
    private readonly WorkerHarness _harness = new(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.FromHours(8)));

    private DeadlineReminders Sweeper => _harness.Services.GetServices<ISweeper>().OfType<DeadlineReminders>().Single();

    private async Task<int> RunAsync()
    {
        await Sweeper.RunAsync(CancellationToken.None);
        return _harness.Outbound(OutboundKind.Reminder).Count;
    }

    /// <summary>Runs the sweep: exactly one reminder is queued; its text.</summary>
    private async Task<string> OnlyReminderAsync()
    {
        Assert.Equal(1, await RunAsync());
        return _harness.Rendered(Assert.Single(_harness.Outbound(OutboundKind.Reminder))).TextBody ?? "";
    }

    /// <summary>The reminder says the organisation's mail of 2 December 13:00 came and is being confirmed, never that none did.</summary>
    private static void SaysItsMailOfTheSecondArrived(string reminder)
    {
        Assert.DoesNotContain("尚未收到貴單位之回覆", reminder, StringComparison.Ordinal);
        Assert.Contains("本中心已於中華民國115年12月2日 13:00收到貴單位之來信，正在確認其所屬之限期改善單", reminder, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_BeforeSendTimeOnReminderDay_SendsNothing()
    {
        _harness.IssueSentNotice(Deadline);
        _harness.SetLocal(2026, 12, 3, 8, 59);

        Assert.Equal(0, await RunAsync());
    }

    /// <summary>Hostile finding h10u E: a reminder previewed with --as-of for its day suppressed the real one on that day.</summary>
    [Fact]
    public async Task RunAsync_PreviewTwiceThenTheRealRun_PreviewQueuesOnceAndTheRealReminderStillGoes()
    {
        _harness.IssueSentNotice(Deadline);
        _harness.SetLocal(2026, 12, 3, 9, 0);
        var preview = ActivatorUtilities.CreateInstance<DeadlineReminders>(_harness.Services, new JobRun(Preview: true, _harness.Time));

        await preview.RunAsync(CancellationToken.None);
        await preview.RunAsync(CancellationToken.None);
        Assert.Single(_harness.Outbound(OutboundKind.Reminder));

        Assert.Equal(2, await RunAsync());
        Assert.Equal(2, await RunAsync());
    }

    /// <summary>
    /// h31h Q11: right after a restore, before the drop folder's processed/ mails were read again, the reminder told an
    /// organisation whose reply (already receipted) waited there 「本中心尚未收到貴單位之回覆」. It waits for the re-read.
    /// </summary>
    [Fact]
    public async Task RunAsync_BeforeTheReadAgainARestoreLeft_WaitsAndSaysWhy_ThenSends()
    {
        _harness.IssueSentNotice(Deadline);
        _harness.SetLocal(2026, 12, 3, 9, 0);
        var marks = _harness.Get<SweepMarkRepository>();
        marks.TryMark(StoreBackup.RereadDropFolderMark, null, _harness.Time.GetUtcNow());

        var said = await Sweeper.RunAsync(CancellationToken.None);

        Assert.Equal("期限提醒：收件資料夾之已處理郵件尚未讀入本資料目錄（資料還原後尚未重新讀取，或曾由還原之副本收件；其中可能有機關之回覆），本次暫緩，排入 0 封", said);
        Assert.Empty(_harness.Outbound(OutboundKind.Reminder));
        marks.Remove(StoreBackup.RereadDropFolderMark);
        Assert.Equal(1, await RunAsync());
    }

    [Fact]
    public async Task RunAsync_AtSendTimeTwice_QueuesOneReminderNamingTheDeadline()
    {
        var notice = _harness.IssueSentNotice(Deadline);
        _harness.SetLocal(2026, 12, 3, 9, 0);

        Assert.Equal(1, await RunAsync());
        Assert.Equal(1, await RunAsync());

        var reminder = _harness.Rendered(_harness.Outbound(OutboundKind.Reminder)[0]);
        Assert.Contains(notice.Reference, reminder.Subject);
        Assert.Contains("中華民國115年12月10日", reminder.TextBody);
        Assert.Equal("auto-generated", reminder.Headers["Auto-Submitted"]);
        Assert.Single(_harness.Get<TimelineRepository>().List(notice.Id), entry => entry.Event == TimelineEvent.Reminder);
    }

    /// <summary>
    /// Hostile finding h10z P: while the organisation's mail was held 比對不明 for staff (two open notices, no reference),
    /// its reminders said 「本中心尚未收到貴單位之回覆」. They say the center received its mail of that day and is
    /// confirming which notice it belongs to.
    /// </summary>
    [Fact]
    public async Task RunAsync_OrganisationsMailHeldAsAmbiguous_ReminderSaysItsMailArrivedNotThatNothingDid()
    {
        var first = _harness.IssueSentNotice(Deadline);
        _harness.IssueSentNotice(Deadline);
        _harness.SetLocal(2026, 12, 2, 13, 0);
        await _harness.ReceiveReplyAsync("回覆貴中心來函");
        Assert.Equal(MailKind.Ambiguous, Assert.Single(_harness.Get<MailRepository>().ListToSettle()).Kind);
        _harness.SetLocal(2026, 12, 3, 9, 0);

        Assert.Equal(2, await RunAsync());

        var reminder = _harness.Rendered(_harness.Outbound(OutboundKind.Reminder).First(mail => mail.Subject.Contains(first.Reference, StringComparison.Ordinal)));
        Assert.DoesNotContain("尚未收到貴單位之回覆", reminder.TextBody, StringComparison.Ordinal);
        Assert.Contains("本中心已於中華民國115年12月2日 13:00收到貴單位之來信，正在確認其所屬之限期改善單", reminder.TextBody, StringComparison.Ordinal);
    }

    /// <summary>
    /// Hostile finding h10x F17: a mail naming the notice in its subject, from an address the organisation never registered
    /// (a colleague's), was held 比對不明 while the reminder said 「本中心尚未收到貴單位之回覆」. It says a mail naming the
    /// notice came and is being confirmed — never that it was the organisation's, never that nothing came.
    /// </summary>
    [Fact]
    public async Task RunAsync_MailNamingTheNoticeFromAnUnregisteredAddressHeld_ReminderSaysAMailNamingItArrived()
    {
        var notice = _harness.IssueSentNotice(Deadline);
        _harness.SetLocal(2026, 12, 2, 13, 0);
        await _harness.ReceiveReplyAsync($"RE: 【限期改善單】{notice.Reference} 回覆", from: "it@colleague.example.tw");
        Assert.Equal(MailKind.Ambiguous, Assert.Single(_harness.Get<MailRepository>().ListToSettle()).Kind);
        _harness.SetLocal(2026, 12, 3, 9, 0);

        Assert.Equal(1, await RunAsync());

        var reminder = _harness.Rendered(Assert.Single(_harness.Outbound(OutboundKind.Reminder)));
        Assert.DoesNotContain("尚未收到貴單位之回覆", reminder.TextBody, StringComparison.Ordinal);
        Assert.Contains($"本中心已於中華民國115年12月2日 13:00收到主旨載有本限期改善單編號（{notice.Reference}）之來信，其寄件者並非貴單位登記之電子郵件信箱，正在確認是否為貴單位之回覆",
            reminder.TextBody, StringComparison.Ordinal);
    }

    /// <summary>
    /// h31h Q8: while the organisation's reply waited on the center's own fault (kept raw, recorded, its filing failing and
    /// retried: <c>received</c>, then <c>failed</c>), the reminder told it 「本中心尚未收到貴單位之回覆」 and asked for
    /// everything again. The center has its mail: the reminder says so, as for a mail held for staff.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(6)]
    public async Task RunAsync_OrganisationsReplyFailingOnOurSide_ReminderSaysItsMailArrivedNotThatNothingDid(int attempts)
    {
        var notice = _harness.IssueSentNotice(Deadline);
        _harness.SetLocal(2026, 12, 2, 13, 0);
        await _harness.FailingToFileAsync(attempts, () => _harness.ReceiveReplyAsync($"回覆 {notice.Reference} 已完成改善"));
        _harness.SetLocal(2026, 12, 3, 9, 0);

        SaysItsMailOfTheSecondArrived(await OnlyReminderAsync());
    }

    /// <summary>
    /// h32h R16: the organisation's reply whose raw file the center's disk lost before its retry (<c>damaged</c>, its sender
    /// read before) counted as no reply. The reminder says the center received its mail.
    /// </summary>
    [Fact]
    public async Task RunAsync_OrganisationsReplyDamagedOnOurDisk_ReminderSaysItsMailArrived()
    {
        var notice = _harness.IssueSentNotice(Deadline);
        _harness.SetLocal(2026, 12, 2, 13, 0);
        await _harness.FailingToFileAsync(1, () => _harness.ReceiveReplyAsync($"回覆 {notice.Reference} 已完成改善"));
        foreach (var raw in Directory.EnumerateFiles(Path.Combine(_harness.Folder, "data", "raw"), "*.eml", SearchOption.AllDirectories))
            File.Delete(raw);
        await _harness.Get<MailIntake.Worker.Intake.IntakeProcessor>().ProcessPendingAsync(CancellationToken.None, retryAll: true);
        Assert.Equal(MailKind.Damaged, Assert.Single(_harness.Get<MailRepository>().List(null)).Kind);
        _harness.SetLocal(2026, 12, 3, 9, 0);

        SaysItsMailOfTheSecondArrived(await OnlyReminderAsync());
    }

    /// <summary>
    /// h32h R10: a reply whose From is one encoded word over name and address (as some webmail writes it) kept that word,
    /// undecoded, as its sender while it failed: the reminder said no reply came. Its sender is read as the parser reads it.
    /// </summary>
    [Fact]
    public async Task RunAsync_ReplyWithItsWholeFromOneEncodedWordFailingOnOurSide_ReminderSaysItsMailArrived()
    {
        var notice = _harness.IssueSentNotice(Deadline);
        _harness.SetLocal(2026, 12, 2, 13, 0);
        var from = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("李大同 <org1@intake.test>"));
        var raw = $"From: =?utf-8?b?{from}?=\r\nTo: center@intake.test\r\nSubject: 改善回覆\r\nMessage-ID: <encoded-from@org1.example.tw>\r\n"
                  + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n已完成改善\r\n";
        await _harness.FailingToFileAsync(1, () => _harness.Get<MailIntake.Worker.Intake.IntakeProcessor>().IngestAsync(
            new MemoryStream(System.Text.Encoding.UTF8.GetBytes(raw)), "test", checkpoint: null, CancellationToken.None));
        Assert.Equal("org1@intake.test", Assert.Single(_harness.Get<MailRepository>().List(null)).From);
        _harness.SetLocal(2026, 12, 3, 9, 0);

        SaysItsMailOfTheSecondArrived(await OnlyReminderAsync());
    }

    /// <summary>
    /// h33h S4: the organisation's reply naming another organisation's notice (a typo: 0002 for 0001) is held suspicious;
    /// its own notice's reminder said 「本中心尚未收到貴單位之回覆」 to the very address that wrote. It says its mail came.
    /// </summary>
    [Fact]
    public async Task RunAsync_OrganisationsMailNamingAnotherOrganisationsNoticeHeld_ReminderSaysItsMailArrived()
    {
        var own = _harness.IssueSentNotice(Deadline);
        _harness.Get<OrganisationRepository>().Upsert(
            [new Organisation("XC87654321", "台南市範例協會", ["contact@org2.example.tw"], "06-7654321", "陳小明")], _harness.Time.GetUtcNow());
        var other = _harness.IssueSentNotice(Deadline, orgCode: "XC87654321");
        _harness.SetLocal(2026, 12, 2, 13, 0);
        await _harness.ReceiveReplyAsync($"回覆 {other.Reference}");
        Assert.Equal(MailKind.Suspicious, Assert.Single(_harness.Get<MailRepository>().ListToSettle()).Kind);
        _harness.SetLocal(2026, 12, 3, 9, 0);

        await RunAsync();

        var reminder = _harness.Rendered(Assert.Single(_harness.Outbound(OutboundKind.Reminder), mail => mail.Subject.Contains(own.Reference, StringComparison.Ordinal)));
        Assert.Contains("本中心已於中華民國115年12月2日 13:00收到貴單位之來信，正在確認其所屬之限期改善單", reminder.TextBody, StringComparison.Ordinal);
    }

    /// <summary>h31h Q8, from an address the organisation never registered: a failing mail naming the notice is said to have come.</summary>
    [Fact]
    public async Task RunAsync_MailNamingTheNoticeFailingOnOurSide_ReminderSaysAMailNamingItArrived()
    {
        var notice = _harness.IssueSentNotice(Deadline);
        _harness.SetLocal(2026, 12, 2, 13, 0);
        await _harness.FailingToFileAsync(1, () => _harness.ReceiveReplyAsync($"RE: 【限期改善單】{notice.Reference} 回覆", from: "it@colleague.example.tw"));
        _harness.SetLocal(2026, 12, 3, 9, 0);

        Assert.Equal(1, await RunAsync());

        var reminder = _harness.Rendered(Assert.Single(_harness.Outbound(OutboundKind.Reminder)));
        Assert.DoesNotContain("尚未收到貴單位之回覆", reminder.TextBody, StringComparison.Ordinal);
        Assert.Contains($"本中心已於中華民國115年12月2日 13:00收到主旨載有本限期改善單編號（{notice.Reference}）之來信，其寄件者並非貴單位登記之電子郵件信箱，正在確認是否為貴單位之回覆",
            reminder.TextBody, StringComparison.Ordinal);
    }

    /// <summary>
    /// h30h P10: a notice issued again for the same incident (<c>--again</c>: the first one's mail bounced at one address)
    /// while the organisation answered the first: the second one's reminder said 「本中心尚未收到貴單位之回覆」. It names
    /// the reply to the other notice for the same incident.
    /// </summary>
    [Fact]
    public async Task RunAsync_ReplyFiledUnderAnotherNoticeForTheSameIncident_ReminderNamesItNotThatNothingCame()
    {
        var first = _harness.IssueSentNotice(Deadline);
        var again = _harness.IssueSentNotice(Deadline); // the harness issues every notice for one incident, --again
        _harness.SetLocal(2026, 12, 2, 13, 0);
        await _harness.ReceiveReplyAsync($"回覆 {first.Reference}");
        _harness.SetLocal(2026, 12, 3, 9, 0);

        await RunAsync();

        var reminder = _harness.Rendered(Assert.Single(_harness.Outbound(OutboundKind.Reminder), mail => mail.Subject.Contains(again.Reference, StringComparison.Ordinal)));
        Assert.DoesNotContain("尚未收到貴單位之回覆", reminder.TextBody, StringComparison.Ordinal);
        Assert.Contains($"本中心已於中華民國115年12月2日 13:00收到貴單位對同一事件之限期改善單 {first.Reference} 之回覆，將併同本限期改善單確認", reminder.TextBody, StringComparison.Ordinal);
    }

    /// <summary>
    /// Hostile finding h10z M: after <c>orgs import</c> changed the organisation's address, the reminder went to the new
    /// mailbox, which never got the notice, asking it to fill in a form it never received. It now says when and where the
    /// notice went and how to get it.
    /// </summary>
    [Fact]
    public async Task RunAsync_AddressChangedAfterTheNoticeWasMailed_ReminderSaysWhereTheNoticeWent()
    {
        _harness.IssueSentNotice(Deadline);
        _harness.Get<OrganisationRepository>().Upsert([new Organisation("XC12345678", "台南市測試公會", ["org1new@intake.test"], "06-1234567", "李大同")], _harness.Time.GetUtcNow());
        _harness.SetLocal(2026, 12, 3, 9, 0);

        Assert.Equal(1, await RunAsync());

        var reminder = _harness.Rendered(Assert.Single(_harness.Outbound(OutboundKind.Reminder)));
        Assert.Equal("org1new@intake.test", Assert.Single(reminder.To.Mailboxes).Address);
        Assert.Contains("本中心已於中華民國115年11月27日以電子郵件將限期改善單", reminder.TextBody, StringComparison.Ordinal);
        Assert.Contains("寄至 org1@intake.test（貴單位當時登記之電子郵件）", reminder.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_EachOffsetOnItsDay_SendsThreeRemindersInAll()
    {
        _harness.IssueSentNotice(Deadline);

        _harness.SetLocal(2026, 12, 3, 9, 30);
        await RunAsync();
        _harness.SetLocal(2026, 12, 7, 9, 30);
        await RunAsync();
        _harness.SetLocal(2026, 12, 9, 9, 30);

        Assert.Equal(3, await RunAsync());
    }

    [Fact]
    public void ReminderDay_OnSunday_MovesToFriday()
    {
        // Deadline Monday 2026-12-14, one day before is Sunday 12-13 → Friday 12-11.
        Assert.Equal(new DateOnly(2026, 12, 11), Sweeper.ReminderDay(new DateOnly(2026, 12, 14), 1));
    }

    [Fact]
    public async Task ReminderDay_OnHolidayFromCalendarFile_MovesToPreviousWorkingDay()
    {
        using var withHolidays = new WorkerHarness(
            new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.FromHours(8)),
            new Dictionary<string, string?> { ["MailIntake:Calendar:HolidaysFile"] = HolidayFile("2026-12-09") });
        var sweeper = withHolidays.Services.GetServices<ISweeper>().OfType<DeadlineReminders>().Single();
        withHolidays.IssueSentNotice(Deadline);

        Assert.Equal(new DateOnly(2026, 12, 8), sweeper.ReminderDay(Deadline, 1));
        withHolidays.SetLocal(2026, 12, 8, 9, 0);
        await sweeper.RunAsync(CancellationToken.None);
        Assert.Single(withHolidays.Outbound(OutboundKind.Reminder));
    }

    [Fact]
    public async Task RunAsync_AfterDowntimeSpanningAllReminderDays_SendsOnlyTheLatestOnce()
    {
        _harness.IssueSentNotice(Deadline);
        _harness.SetLocal(2026, 12, 9, 15, 0);

        Assert.Equal(1, await RunAsync());
        Assert.Equal(1, await RunAsync());
        Assert.Contains("尚餘 1 日", _harness.Rendered(_harness.Outbound(OutboundKind.Reminder)[0]).TextBody);
    }

    [Fact]
    public async Task RunAsync_ReplyFiled_SendsNoReminder()
    {
        var notice = _harness.IssueSentNotice(Deadline);
        await _harness.ReceiveReplyAsync($"回覆 {notice.Reference}");
        _harness.SetLocal(2026, 12, 9, 9, 30);

        Assert.Equal(0, await RunAsync());
    }

    [Fact]
    public async Task RunAsync_DeadlineExtended_RemindsAgainForNewDeadline()
    {
        var notice = _harness.IssueSentNotice(Deadline);
        _harness.SetLocal(2026, 12, 9, 9, 30);
        await RunAsync();
        _harness.FollowUp(notice, RoundResult.Extended, until: new DateOnly(2026, 12, 21));

        _harness.SetLocal(2026, 12, 18, 9, 30);

        Assert.Equal(2, await RunAsync());
        Assert.Contains("中華民國115年12月21日", _harness.Rendered(_harness.Outbound(OutboundKind.Reminder)[1]).TextBody);
    }

    [Fact]
    public async Task RunAsync_AfterDeadline_SendsNoReminder()
    {
        _harness.IssueSentNotice(Deadline);
        _harness.SetLocal(2026, 12, 11, 9, 30);

        Assert.Equal(0, await RunAsync());
    }

    private string HolidayFile(params string[] dates)
    {
        var path = Path.Combine(_harness.Folder, $"holidays-{Guid.NewGuid():N}.csv");
        File.WriteAllLines(path, dates);
        return path;
    }

    [Fact]
    public async Task RunAsync_AfterExtensionWithAFiledReply_NamesNewDeadlineAndWhatWasReceivedNeverNoReply()
    {
        var notice = _harness.IssueSentNotice(Deadline);
        _harness.SetLocal(2026, 12, 2, 10, 0);
        await _harness.ReceiveReplyAsync($"回覆 {notice.Reference}");
        _harness.SetLocal(2026, 12, 11, 10, 0);
        _harness.FollowUp(notice, RoundResult.Extended, until: new DateOnly(2026, 12, 21));

        _harness.SetLocal(2026, 12, 18, 9, 30);

        Assert.Equal(1, await RunAsync());
        var text = _harness.Rendered(_harness.Outbound(OutboundKind.Reminder).Single()).TextBody;
        Assert.DoesNotContain("尚未收到貴單位", text);
        Assert.Contains("展延至中華民國115年12月21日", text);
        Assert.Contains("原改善期限中華民國115年12月10日", text);
        Assert.Contains("已收到貴單位之回覆 1 封", text);
        Assert.Contains("尚待補充：", text);
        Assert.Contains("附件1（防火牆阻擋規則）", text);
        Assert.Contains("尚未以電話確認", text);
    }

    [Fact]
    public async Task RunAsync_NoticeIssuedWithoutSending_SendsNoReminderOnAnyDay()
    {
        _harness.IssueNotice(Deadline, send: false);

        foreach (var day in new[] { 3, 7, 9 })
        {
            _harness.SetLocal(2026, 12, day, 9, 30);
            Assert.Equal(0, await RunAsync());
        }
    }

    [Fact]
    public async Task RunAsync_NoticeMailStillQueued_SendsNoReminderUntilItIsSent()
    {
        _harness.SetLocal(2026, 12, 1, 10, 0);
        _harness.IssueNotice(Deadline, send: true);
        _harness.SetLocal(2026, 12, 3, 9, 30);

        Assert.Equal(0, await RunAsync());

        // Sent two days after it was written: its deadline moved on two days (12-12 a Saturday, so Monday 12-14).
        _harness.Deliver();
        _harness.SetLocal(2026, 12, 11, 9, 30);
        Assert.Equal(1, await RunAsync());
        Assert.Contains("改善期限為中華民國115年12月14日（尚餘 3 日）", _harness.Rendered(_harness.Outbound(OutboundKind.Reminder).Single()).TextBody);
    }

    [Fact]
    public async Task RunAsync_ReminderDaysBeforeTheNoticeWasSent_SendsOnlyTheFirstDayAfterItWithTheTrueCount()
    {
        // Sent Tuesday 12-08 10:00: the 7- and 3-day days (12-03, 12-07) were before it; the 1-day one (12-09) is after.
        _harness.SetLocal(2026, 12, 8, 10, 0);
        _harness.IssueSentNotice(Deadline);
        _harness.SetLocal(2026, 12, 8, 10, 5);

        Assert.Equal(0, await RunAsync());

        _harness.SetLocal(2026, 12, 9, 9, 0);
        Assert.Equal(1, await RunAsync());
        Assert.Contains("尚餘 1 日", _harness.Rendered(_harness.Outbound(OutboundKind.Reminder).Single()).TextBody);
    }

    [Fact]
    public async Task RunAsync_StartedAtTwoInTheMorningAfterAMissedDay_WaitsForSendTimeAndCountsFromThatDay()
    {
        _harness.IssueSentNotice(Deadline);
        _harness.SetLocal(2026, 12, 8, 2, 0);

        Assert.Equal(0, await RunAsync());

        _harness.SetLocal(2026, 12, 8, 9, 0);
        Assert.Equal(1, await RunAsync());
        var text = _harness.Rendered(_harness.Outbound(OutboundKind.Reminder).Single()).TextBody;
        Assert.Contains("尚餘 2 日", text);
        Assert.DoesNotContain("尚餘 3 日", text);
    }

    [Fact]
    public async Task RunAsync_ReminderMovedBeforeAHoliday_CountsTheDaysReallyLeft()
    {
        // The 7-day day, Thursday 12-03, is a holiday: the reminder goes Wednesday 12-02, eight days before the deadline.
        using var withHolidays = new WorkerHarness(
            new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.FromHours(8)),
            new Dictionary<string, string?> { ["MailIntake:Calendar:HolidaysFile"] = HolidayFile("2026-12-03") });
        var sweeper = withHolidays.Services.GetServices<ISweeper>().OfType<DeadlineReminders>().Single();
        withHolidays.IssueSentNotice(Deadline);
        withHolidays.SetLocal(2026, 12, 2, 9, 5);

        await sweeper.RunAsync(CancellationToken.None);

        var text = withHolidays.Rendered(withHolidays.Outbound(OutboundKind.Reminder).Single()).TextBody;
        Assert.Contains("尚餘 8 日", text);
        Assert.DoesNotContain("尚餘 7 日", text);
    }

    [Fact]
    public async Task RunAsync_OnTheDeadlineItself_SaysItIsDueTodayNeverOneDayLeft()
    {
        // DaysBefore 0 is not configured by default: a deadline on Monday 12-07 with its 1-day day on Friday 12-04 missed,
        // caught up on Monday morning — the deadline is today.
        _harness.IssueSentNotice(new DateOnly(2026, 12, 7));
        _harness.SetLocal(2026, 12, 7, 9, 10);

        Assert.Equal(1, await RunAsync());
        var text = _harness.Rendered(_harness.Outbound(OutboundKind.Reminder).Single()).TextBody;
        Assert.Contains("今日到期", text);
        Assert.DoesNotContain("尚餘", text);
    }

    /// <summary>
    /// The deadline a reminder is written for and its offset are kept in their own columns where it is queued: the check
    /// before sending reads them there, not out of its idempotency key.
    /// </summary>
    [Fact]
    public async Task RunAsync_ReminderQueued_KeepsItsDeadlineAndOffsetInTheirColumns()
    {
        _harness.IssueSentNotice(Deadline);
        _harness.SetLocal(2026, 12, 7, 9, 0);

        Assert.Equal(1, await RunAsync());

        var reminder = Assert.Single(_harness.Outbound(OutboundKind.Reminder));
        Assert.Equal((Deadline, 3, (long?)null), (reminder.Deadline, reminder.DaysBefore, reminder.ReplyMailId));
    }

    public void Dispose() => _harness.Dispose();
}
