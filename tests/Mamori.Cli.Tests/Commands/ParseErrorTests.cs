using System.CommandLine;
using System.Globalization;

namespace Mamori.Cli.Tests.Commands;

/// <summary>A command line that does not parse: exit 2, one line per problem on stderr, nothing on stdout.</summary>
public sealed class ParseErrorTests
{
    private static async Task<(int Exit, string Out, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter(CultureInfo.InvariantCulture);
        var error = new StringWriter(CultureInfo.InvariantCulture);
        int exit = await Program.InvokeAsync(args, new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        return (exit, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData("simulate", "--scenario", "bogus", "--out", "-")]
    [InlineData("simulate", "--users", "abc", "--out", "-")]
    [InlineData("simulate", "--users", "300")]                       // --out is required
    [InlineData("replay", "--format", "xml", "x.jsonl")]
    public async Task BadArguments_ExitTwoWithTheProblemsOnStderrAndNothingOnStdout(params string[] args)
    {
        (int exit, string output, string error) = await RunAsync(args);

        Assert.Equal(2, exit);
        Assert.Equal("", output);   // with --out - the help text used to go down the pipe
        string[] lines = error.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length >= 2, error);
        Assert.All(lines[..^1], l => Assert.StartsWith("mamori: ", l, StringComparison.Ordinal));
        Assert.Equal($"see `mamori {args[0]} --help`", lines[^1]);
    }

    [Fact]
    public async Task MamoriAlone_ShowsTheOverview()
    {
        (int exit, string output, string error) = await RunAsync();

        Assert.Equal(0, exit);
        Assert.Contains("serve", output, StringComparison.Ordinal);
        Assert.Contains("replay", output, StringComparison.Ordinal);
        Assert.Equal("", error);
    }

    [Fact]
    public async Task HelpBesideABadArgument_IsStillHelp()
    {
        (int exit, string output, _) = await RunAsync("simulate", "--users", "abc", "--help");

        Assert.Equal(0, exit);
        Assert.Contains("--scenario", output, StringComparison.Ordinal);
    }
}
