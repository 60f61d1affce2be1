namespace MailIntake.Worker.Cli;

/// <summary>A handled error: its message is printed as one line on stderr and the program exits with <see cref="ExitCode"/>.</summary>
public sealed class CliException(string message, int exitCode = 1) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
