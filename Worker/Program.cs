using MailIntake.Worker.Cli;

return await CliApp.RunAsync(args);
