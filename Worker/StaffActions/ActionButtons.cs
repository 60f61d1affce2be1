using System.Net;
using System.Text;

namespace MailIntake.Worker.StaffActions;

/// <summary>Action links as they look in a staff mail: small buttons that Outlook's Word engine renders too (colour, border, no images).</summary>
public static class ActionButtons
{
    public static string Html(IEnumerable<ActionLink> links)
    {
        var html = new StringBuilder();
        foreach (var link in links)
        {
            if (html.Length > 0)
            {
                html.Append(' ');
            }

            var colour = link.Text is "不需處理" or "未接通" or "其他" ? "#546e7a" : link.Text == "中止交換服務" ? "#b71c1c" : "#1565c0";
            html.Append("<a href=\"").Append(WebUtility.HtmlEncode(link.Href)).Append("\" style=\"display:inline-block;margin:2px 0;padding:3px 10px;border:1px solid ")
                .Append(colour).Append(";border-radius:4px;color:").Append(colour)
                .Append(";text-decoration:none;white-space:nowrap;font-size:13px\">").Append(WebUtility.HtmlEncode(link.Text)).Append("</a>");
        }

        return html.ToString();
    }

    /// <summary>How the links work, said once at the foot of a mail that has them.</summary>
    public const string Footnote =
        "點選按鈕將開啟一封寄給本中心之新郵件，可修改其中「確認人」「備註」等行後直接傳送；處理結果將以郵件回覆。連結僅限收件者本人使用，使用一次後失效。";
}
