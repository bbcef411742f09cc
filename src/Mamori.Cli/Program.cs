using System.CommandLine;
using System.CommandLine.Invocation;
using Mamori.Cli.Commands;

namespace Mamori.Cli;

internal static class Program
{
    /// <summary>Exit code of a command line that does not parse, as for any bad argument (docs/replay.md, docs/simulation.md).</summary>
    public const int ExitBadArguments = 2;

    private static readonly char[] s_lineBreaks = ['\r', '\n'];

    private static async Task<int> Main(string[] args) =>
        // A graceful stop of `mamori serve` drains requests in flight; System.CommandLine's default 2 s would cut it short.
        await InvokeAsync(args, new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(20) });

    /// <summary>Parses and runs <paramref name="args"/>; a command line that does not parse is reported by
    /// <see cref="ReportParseErrors"/> instead of System.CommandLine's help dump.</summary>
    internal static Task<int> InvokeAsync(string[] args, InvocationConfiguration configuration)
    {
        // `mamori` alone is someone finding their way: the overview teaches more than "Required command was not provided".
        ParseResult parse = CreateRootCommand().Parse(args.Length == 0 ? ["--help"] : args);
        // Only when parsing failed and nothing clears the errors: `--help` beside a bad argument still shows help.
        if (parse.Action is ParseErrorAction) return Task.FromResult(ReportParseErrors(parse, configuration.Error));
        return parse.InvokeAsync(configuration);
    }

    /// <summary>One line per problem and where to read more, on stderr; exit code 2.</summary>
    /// <remarks>System.CommandLine's default prints the whole help text on stdout and exits 1: with <c>--out -</c> the
    /// help went down the pipe as if it were data, and scripts could not tell a typo from a failed run.</remarks>
    internal static int ReportParseErrors(ParseResult parse, TextWriter error)
    {
        // Some messages list the allowed values on lines of their own; one line per problem keeps them greppable.
        foreach (System.CommandLine.Parsing.ParseError problem in parse.Errors)
            error.WriteLine($"mamori: {string.Join(' ', problem.Message.Split(s_lineBreaks, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))}");
        var path = new List<string>();
        for (System.CommandLine.Parsing.SymbolResult? result = parse.CommandResult; result is System.CommandLine.Parsing.CommandResult command && command.Parent is not null; result = command.Parent)
            path.Insert(0, command.Command.Name);
        error.WriteLine($"see `{string.Join(' ', ["mamori", .. path])} --help`");
        return ExitBadArguments;
    }

    /// <summary>The whole command tree; each command lives in its own file under Commands/.</summary>
    internal static RootCommand CreateRootCommand()
    {
        var root = new RootCommand(
            "Mamori defends login and money-movement endpoints against account takeover.\n" +
            "Start with `mamori serve`; see `mamori <command> --help` for each command.\n" +
            "A command line that does not parse exits 2 with one line per problem on stderr.");
        foreach (Command command in CommandCatalog.All())
            root.Subcommands.Add(command);
        return root;
    }
}
