using MailIntake.Storage;

namespace MailIntake.Worker.Documents;

/// <summary>
/// One recorded follow-up (追蹤結果) of the tracking evaluation form, as the documents print it.
/// <paramref name="Result"/> takes the values of <see cref="MailIntake.Storage.FollowUpResult"/>.
/// </summary>
/// <param name="Round">1, 2 or 3: the paper form has room for three follow-ups and no more.</param>
/// <param name="Until">For an extension: the new deadline.</param>
/// <param name="SuspendFrom">For a suspension: the day the exchange service stops.</param>
/// <param name="TrackedOn">
/// The tracking date (追蹤日期); for a suspension it is also the day the organisation was told,
/// because the center notifies the organisation when it records the suspension.
/// </param>
/// <param name="Note">For "other": what the tracker wrote.</param>
public sealed record TrackingRound(
    int Round,
    RoundResult Result,
    DateOnly? Until,
    DateOnly? SuspendFrom,
    string By,
    DateOnly TrackedOn,
    string? Note);
