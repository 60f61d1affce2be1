using System.CommandLine;
using System.CommandLine.Completions;
using System.CommandLine.Parsing;

namespace MailIntake.Worker.Cli;

/// <summary>
/// What System.CommandLine found wrong with the arguments, as the one zh-TW line of CONTRACT.md (exit 2): it names the
/// option or argument at fault and what it accepts. Built from the parse tree, never from the library's English text.
/// </summary>
public static class ParseErrorText
{
    public static string Line(ParseResult result) =>
        "參數錯誤：" + string.Join("；", result.Errors.Select(error => Describe(error, result)).Distinct());

    private static string Describe(ParseError error, ParseResult result) => error.SymbolResult switch
    {
        ArgumentResult { Parent: OptionResult option } argument => Value(option.Option.Name, argument.Argument, argument.Tokens),
        ArgumentResult { Tokens.Count: 0 } argument
            => $"{Path(argument)} 缺少 {Named(argument.Argument.Name, argument.Argument.Description)}{(string.IsNullOrWhiteSpace(argument.Argument.Description) ? Accepted(argument.Argument) : "")}",
        ArgumentResult argument => Value(argument.Argument.Name, argument.Argument, argument.Tokens),
        OptionResult { IdentifierToken: null } option => $"缺少 {Named(option.Option.Name, option.Option.Description)}",
        OptionResult option => Value(option.Option.Name, null, option.Tokens, Accepted(option.Option)),
        CommandResult command => Command(command, result),
        _ => Unmatched(result),
    };

    private static string Value(string name, Argument? argument, IReadOnlyList<Token> tokens, string? accepted = null)
    {
        accepted ??= argument is null ? "" : Accepted(argument);
        return tokens.Count == 0
            ? $"{name} 需要一個值{accepted}"
            : $"{name} 之值「{string.Join(" ", tokens.Select(token => token.Value))}」無法辨識{accepted}";
    }

    /// <summary>Missing required options and arguments of the command, or else the words it did not understand.</summary>
    private static string Command(CommandResult command, ParseResult result)
    {
        var missing = command.Command.Options
            .Where(option => option.Required && command.GetResult(option) is null)
            .Select(option => Named(option.Name, option.Description))
            .Concat(command.Command.Arguments
                .Where(argument => argument.Arity.MinimumNumberOfValues > 0 && command.GetResult(argument) is not { Tokens.Count: > 0 })
                .Select(argument => Named(argument.Name, argument.Description)))
            .ToList();
        if (missing.Count > 0)
        {
            return $"{Path(command)} 缺少 {string.Join("、", missing)}";
        }

        return result.UnmatchedTokens.Count > 0 ? Unmatched(result) : $"{Path(command)} 之參數不完整（請以 {Path(command)} --help 查看用法）";
    }

    private static string Unmatched(ParseResult result)
    {
        var command = result.CommandResult.Command;
        var words = string.Join(" ", result.UnmatchedTokens);
        var subcommands = command.Subcommands.Where(sub => !sub.Hidden).Select(sub => sub.Name).ToList();
        var accepted = subcommands.Count > 0
            ? $"（{Path(result.CommandResult)} 之指令：{string.Join("、", subcommands)}）"
            : $"（請以 {Path(result.CommandResult)} --help 查看可用之選項）";
        return $"無法辨識「{words}」{accepted}";
    }

    private static string Named(string name, string? description) =>
        string.IsNullOrWhiteSpace(description) ? name : $"{name}（{description}）";

    private static string Accepted(Symbol symbol)
    {
        var values = symbol.GetCompletions(CompletionContext.Empty).Select(item => item.Label).ToList();
        if (values.Count > 0)
        {
            return $"（可用：{string.Join("、", values)}）";
        }

        var type = symbol switch
        {
            Argument argument => argument.ValueType,
            Option option => option.ValueType,
            _ => typeof(string),
        };
        return type == typeof(long) || type == typeof(int) ? "（須為整數）"
            : type == typeof(FileInfo) ? "（須為檔案路徑）"
            : "";
    }

    /// <summary>The command as typed, e.g. <c>mailintake notice confirm-phone</c>.</summary>
    private static string Path(SymbolResult? result)
    {
        var names = new List<string>();
        for (var current = result; current is not null; current = current.Parent)
        {
            if (current is CommandResult { Command: var command } && command is not RootCommand)
            {
                names.Insert(0, command.Name);
            }
        }

        return string.Join(" ", names.Prepend("mailintake"));
    }
}
