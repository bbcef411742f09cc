using System.CommandLine;

namespace Mamori.Cli.Tests.Commands;

/// <summary><c>mamori bench</c>: a run that measured nothing fails, and bad values are refused before any work.</summary>
public sealed class BenchCommandTests
{
    private static readonly InvocationConfiguration s_noExceptionHandler = new() { EnableDefaultExceptionHandler = false };

    [Fact]
    public async Task HttpAgainstAPortWithNothingListening_ExitsOne()
    {
        // Port 1 on loopback: connections are refused at once, so every request fails.
        int exit = await Program.CreateRootCommand().Parse(["bench", "http", "--url", "http://127.0.0.1:1", "--api-key", "k",
            "--phase", "peak", "--duration", "200ms", "--warmup", "0s", "--connections", "1"]).InvokeAsync(s_noExceptionHandler);

        Assert.Equal(1, exit);
    }

    [Theory]
    [InlineData("--duration", "0s")]
    [InlineData("--duration", "-1s")]
    [InlineData("--warmup", "-1s")]
    public async Task HttpWithANonPositiveDuration_ExitsTwo(string option, string value)
    {
        int exit = await Program.CreateRootCommand().Parse(["bench", "http", "--url", "http://127.0.0.1:1", "--api-key", "k", option, value])
            .InvokeAsync(s_noExceptionHandler);

        Assert.Equal(2, exit);
    }

    [Fact]
    public void DetectionWithMarkdownInAFolderThatDoesNotExist_ExitsTwo()
    {
        string markdown = Path.Combine(Path.GetTempPath(), $"no-such-dir-{Guid.NewGuid():N}", "x.md");

        int exit = Program.CreateRootCommand().Parse(["bench", "detection", "--users", "300", "--days", "1", "--warmup-days", "1",
            "--markdown", markdown]).Invoke(s_noExceptionHandler);

        Assert.Equal(2, exit);
    }
}
