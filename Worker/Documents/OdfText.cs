using System.Text;
using System.Xml.Linq;

namespace MailIntake.Worker.Documents;

/// <summary>
/// Paragraph content in ODF: consecutive spaces, tabs and line breaks are collapsed by readers
/// unless written as text:s, text:tab and text:line-break, so item texts typed by staff survive.
/// </summary>
internal static class OdfText
{
    private static readonly XNamespace Text = OdfNames.Text;

    public static IEnumerable<object> Content(string value)
    {
        value = Application.PrintableText.ForDocument(value);
        var run = new StringBuilder();
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == ' ' && i > 0 && value[i - 1] == ' ')
            {
                var count = 1;
                while (i + 1 < value.Length && value[i + 1] == ' ')
                {
                    count++;
                    i++;
                }

                foreach (var item in Flush(run))
                {
                    yield return item;
                }

                yield return new XElement(Text + "s", new XAttribute(Text + "c", count));
            }
            else if (c is '\t' or '\n')
            {
                foreach (var item in Flush(run))
                {
                    yield return item;
                }

                yield return new XElement(Text + (c == '\t' ? "tab" : "line-break"));
            }
            else if (c != '\r')
            {
                run.Append(c);
            }
        }

        foreach (var item in Flush(run))
        {
            yield return item;
        }
    }

    private static IEnumerable<object> Flush(StringBuilder run)
    {
        if (run.Length > 0)
        {
            yield return run.ToString();
            run.Clear();
        }
    }
}
