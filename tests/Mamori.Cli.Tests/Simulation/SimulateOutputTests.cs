using Mamori.Cli.Tests.Commands;

namespace Mamori.Cli.Tests.Simulation;

/// <summary><c>mamori simulate --out FILE</c>: the file under its name is always a whole log.</summary>
[Collection(CommandConsoleCollection.Name)]
public sealed class SimulateOutputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mamori-simulate-output-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("sim.jsonl")]
    [InlineData("sim.jsonl.gz")]
    public async Task AnInterruptedSimulation_WritesNothing_AndKeepsTheEarlierFile(string name)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, "an earlier log\n");

        (int exit, string error) = await CommandConsole.RunAsync(
            ["simulate", "--scenario", "brute-force", "--users", "300", "--days", "1", "--out", path], CommandConsole.Interrupted);

        Assert.Equal(130, exit);
        Assert.EndsWith("mamori simulate: interrupted: nothing written", error.TrimEnd(), StringComparison.Ordinal);
        Assert.Equal("an earlier log\n", File.ReadAllText(path));
        Assert.Equal([name], Directory.GetFiles(_dir).Select(Path.GetFileName));   // no temporary file left behind
    }

    [Fact]
    public async Task AWholeSimulation_ReplacesTheEarlierFile_AndLeavesNoTemporaryFile()
    {
        string path = Path.Combine(_dir, "sim.jsonl");
        File.WriteAllText(path, "an earlier log\n");

        (int exit, _) = await CommandConsole.RunAsync(["simulate", "--scenario", "brute-force", "--users", "300", "--days", "1", "--out", path]);

        Assert.Equal(0, exit);
        Assert.StartsWith("{\"ts\":", File.ReadAllText(path), StringComparison.Ordinal);
        Assert.Equal(["sim.jsonl"], Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public async Task AnOutThatIsADirectory_IsRefused_WithoutAStackTrace()
    {
        (int exit, string error) = await CommandConsole.RunAsync(["simulate", "--users", "300", "--days", "1", "--out", _dir]);

        Assert.Equal(2, exit);
        Assert.Equal($"mamori simulate: --out {_dir} is a directory: give a file name", error.TrimEnd());
    }
}
