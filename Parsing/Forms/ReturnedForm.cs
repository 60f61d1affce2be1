namespace MailIntake.Parsing;

/// <summary>The organisation's answer to one improvement item (改善事項), by its number on the form.</summary>
public sealed record ItemAnswer(int Item, string Text);

/// <summary>What an organisation filled in on a returned notice form, with the text it was read from.</summary>
public sealed record ReturnedForm(
    IReadOnlyList<string> References,
    Filler? Filler,
    DateOnly? CompletedOn,
    IReadOnlyList<ItemAnswer> ItemAnswers,
    string Text);
