namespace Mamori.Cli.Tests.Simulation;

public sealed class SimulateCommandTests
{
    [Fact]
    public void ValidArguments_WriteTheFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"mamori-sim-{Guid.NewGuid():N}.jsonl");
        try
        {
            int exit = Program.CreateRootCommand().Parse(["simulate", "--scenario", "brute-force", "--users", "300", "--days", "1", "--out", path]).Invoke();
            Assert.Equal(0, exit);
            string[] lines = File.ReadAllLines(path);
            Assert.Contains(lines, l => l.Contains("\"scenario\":\"brute-force\"", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("--users", "0")]
    [InlineData("--days", "0")]
    [InlineData("--users", "3000000")]
    public void OutOfRangeArguments_FailWithoutWritingAFile(string option, string value)
    {
        string path = Path.Combine(Path.GetTempPath(), $"mamori-sim-{Guid.NewGuid():N}.jsonl");
        int exit = Program.CreateRootCommand().Parse(["simulate", option, value, "--out", path]).Invoke();
        Assert.NotEqual(0, exit);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void UnknownScenario_IsAParseError()
    {
        string path = Path.Combine(Path.GetTempPath(), $"mamori-sim-{Guid.NewGuid():N}.jsonl");
        int exit = Program.CreateRootCommand().Parse(["simulate", "--scenario", "ddos", "--out", path]).Invoke();
        Assert.NotEqual(0, exit);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void MissingDirectory_FailsWithoutThrowing()
    {
        string path = Path.Combine(Path.GetTempPath(), $"no-such-dir-{Guid.NewGuid():N}", "out.jsonl");
        int exit = Program.CreateRootCommand().Parse(["simulate", "--users", "10", "--days", "1", "--out", path]).Invoke();
        Assert.Equal(2, exit);
    }
}
