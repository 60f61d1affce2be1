namespace MailIntake.Parsing.StaffActions;

/// <summary>One <c>LABEL：value</c> line of an action mail; <see cref="Quoted"/> when it stood in quoted text.</summary>
public sealed record ActionField(string Label, string Value, bool Quoted);

/// <summary>
/// What a mail sent from an action link carries: the token-shaped strings found in its subject and body (distinct,
/// lower case; subject and own text first, quoted text last) and its <c>LABEL：value</c> lines.
/// </summary>
public sealed record ActionMail(IReadOnlyList<string> Tokens, IReadOnlyList<ActionField> Fields)
{
    public bool HasToken => Tokens.Count > 0;

    /// <summary>The value of <paramref name="label"/>: the sender's own line wins over a quoted one; null when absent.</summary>
    public string? Value(string label) =>
        (Fields.FirstOrDefault(field => !field.Quoted && field.Label == label)
         ?? Fields.FirstOrDefault(field => field.Label == label))?.Value;
}
