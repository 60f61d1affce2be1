using MailIntake.Worker.Outbound;

namespace MailIntake.Worker.Jobs;

/// <summary>The outbox as a scheduled job: sends what is due, retrying later what fails.</summary>
public sealed class OutboxSweeper(OutboxSender sender) : ISweeper
{
    public string Name => "outbox";

    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var result = await sender.SendDueAsync(cancellationToken);
        return $"寄送佇列：寄出 {result.Sent} 封{result.FailuresText}";
    }
}
