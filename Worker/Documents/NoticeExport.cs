using MailIntake.Worker.Application;
using MailIntake.Worker.Options;
using MailIntake.Worker.Outbound;

namespace MailIntake.Worker.Documents;

/// <summary>
/// The printed record of a notice: the notice as it was sent (<paramref name="Notice"/>: its deadline is the one it
/// was sent with, whatever was extended since) and everything that happened to it (<paramref name="Detail"/>, the
/// view `notice show` renders too). Times are printed in <paramref name="Zone"/> (Asia/Taipei in production) so the
/// page does not depend on the server.
/// </summary>
public sealed record NoticeExport(NoticeForm Notice, NoticeDetail Detail, TimeZoneInfo Zone)
{
    public static NoticeExport For(NoticeDetail detail, CenterOptions center, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(detail);
        ArgumentNullException.ThrowIfNull(center);
        return new(NoticeMailer.NoticeFormFor(detail.Notice, center, NoticeMailer.IssuedOn(detail.Notice, zone)), detail, zone);
    }
}
