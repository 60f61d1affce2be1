namespace MailIntake.Parsing;

/// <summary>
/// A mail's returned forms as they count for the notice it was matched to: the forms that name another notice
/// (another organisation's form, or the organisation's other notice) and the forms with nothing filled in (our own
/// blank form sent back) are set aside — their answers, filler and date are not this notice's, and they are not the
/// stamped form the notice asks for. The filler and completion date are read again from the body and the forms kept.
/// </summary>
/// <param name="Mail">The mail with only the forms that count.</param>
/// <param name="OtherReferences">References named by forms set aside because they name another notice.</param>
/// <param name="BlankForms">How many forms were set aside because nothing was filled in.</param>
public sealed record FormsForNotice(ParsedMail Mail, IReadOnlyList<string> OtherReferences, int BlankForms)
{
    public static FormsForNotice Of(ParsedMail mail, string reference)
    {
        ArgumentNullException.ThrowIfNull(mail);
        var foreign = mail.Forms.Where(form => form.References.Count > 0 && !form.References.Contains(reference, StringComparer.OrdinalIgnoreCase)).ToList();
        var blank = mail.Forms.Except(foreign).Where(IsBlank).ToList();
        if (foreign.Count == 0 && blank.Count == 0)
        {
            return new FormsForNotice(mail, [], 0);
        }

        var kept = mail.Forms.Except(foreign).Except(blank).ToList();
        var setAside = foreign.Concat(blank).Select(form => form.Text).ToHashSet(StringComparer.Ordinal);
        var bodyFiller = FillerReader.Read(mail.BodyText);
        var formFiller = kept.Select(form => form.Filler).OfType<Filler>().FirstOrDefault();
        var filler = bodyFiller is null ? formFiller
            : formFiller is null ? bodyFiller
            : new Filler(bodyFiller.Name ?? formFiller.Name, bodyFiller.Phone ?? formFiller.Phone, bodyFiller.Email ?? formFiller.Email);
        var counted = mail with
        {
            Forms = kept,
            // A document read as a form that was set aside is not "a file named as the form" either.
            Attachments = mail.Attachments.Select(attachment => attachment.Text is { } text && setAside.Contains(text) ? attachment with { SetAsideForm = true } : attachment).ToList(),
            Filler = filler,
            CompletedOn = CompletionDateReader.Read(mail.BodyText) ?? kept.Select(form => form.CompletedOn).FirstOrDefault(date => date is not null),
        };
        return new FormsForNotice(counted, foreign.SelectMany(form => form.References).Distinct(StringComparer.OrdinalIgnoreCase).ToList(), blank.Count);
    }

    private static bool IsBlank(ReturnedForm form) =>
        form.Filler is null && form.CompletedOn is null && form.ItemAnswers.All(answer => string.IsNullOrWhiteSpace(answer.Text));
}
