namespace MailIntake.Worker.StaffActions;

/// <summary>What an action link asks for; each has a two-letter code in the token.</summary>
public enum StaffActionKind
{
    ConfirmReached,
    ConfirmNoAnswer,
    Assign,
    Dismiss,
    FollowUpCompleted,
    FollowUpExtended,
    FollowUpOther,
    FollowUpSuspended,
    Issue,
}

public static class StaffActionCodes
{
    private static readonly Dictionary<StaffActionKind, string> Codes = new()
    {
        [StaffActionKind.ConfirmReached] = "cr",
        [StaffActionKind.ConfirmNoAnswer] = "cn",
        [StaffActionKind.Assign] = "as",
        [StaffActionKind.Dismiss] = "dm",
        [StaffActionKind.FollowUpCompleted] = "fc",
        [StaffActionKind.FollowUpExtended] = "fe",
        [StaffActionKind.FollowUpOther] = "fo",
        [StaffActionKind.FollowUpSuspended] = "fs",
        [StaffActionKind.Issue] = "is",
    };

    public static string Code(StaffActionKind kind) => Codes[kind];

    public static bool TryParse(string code, out StaffActionKind kind)
    {
        foreach (var (candidate, value) in Codes)
        {
            if (value == code)
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }
}
