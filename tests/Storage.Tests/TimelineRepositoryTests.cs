namespace MailIntake.Storage.Tests;

public sealed class TimelineRepositoryTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    /// <summary>
    /// Hostile finding h10x F11: a call recorded by a staff member's mail is dated by that mail (the call was made then),
    /// so it is written after events that came later; the timeline listed it after them, out of time order.
    /// </summary>
    [Fact]
    public void List_EventWrittenLaterButDatedEarlier_IsListedInTimeOrderAndSameTimeInWrittenOrder()
    {
        _temp.AddOrganisation();
        var notice = _temp.AddNotice();
        var timeline = new TimelineRepository(_temp.Database);
        var monday = TempDatabase.Now.AddDays(3);
        timeline.Add(notice.Id, monday, TimelineEvent.PhonePrompt, "電話確認提醒");
        timeline.Add(notice.Id, monday, TimelineEvent.ViaMail, "經由郵件處理");
        timeline.Add(notice.Id, TempDatabase.Now.AddDays(1), TimelineEvent.Confirmed, "林書記 以電話確認郵件 #2 之回覆");

        var listed = timeline.List(notice.Id).Select(entry => entry.Detail).ToList();

        Assert.Equal(["林書記 以電話確認郵件 #2 之回覆", "電話確認提醒", "經由郵件處理"], listed.Where(detail => detail is not null && !detail.StartsWith("限期改善單", StringComparison.Ordinal)));
    }

    public void Dispose() => _temp.Dispose();
}
