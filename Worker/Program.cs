using MailIntake.Worker;
using MailIntake.Worker.Cli;

PrivateFiles.Apply();
return await CliApp.RunAsync(args);
