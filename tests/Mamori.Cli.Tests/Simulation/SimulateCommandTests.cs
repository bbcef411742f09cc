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

    [Fact]
    public void Omit_LeavesThoseFieldsOutOfEveryLine_AndKeepsTheRest()
    {
        string full = Path.Combine(Path.GetTempPath(), $"mamori-sim-{Guid.NewGuid():N}.jsonl");
        string thin = full + ".thin.jsonl";
        try
        {
            string[] common = ["simulate", "--scenario", "password-spray", "--users", "300", "--days", "1", "--seed", "5"];
            Assert.Equal(0, Program.CreateRootCommand().Parse([.. common, "--out", full]).Invoke());
            Assert.Equal(0, Program.CreateRootCommand().Parse([.. common, "--omit", "asn, country,device", "--out", thin]).Invoke());

            string[] fullLines = File.ReadAllLines(full), thinLines = File.ReadAllLines(thin);
            Assert.Equal(fullLines.Length, thinLines.Length);
            Assert.Contains(fullLines, l => l.Contains("\"device\":", StringComparison.Ordinal));
            Assert.All(thinLines, l =>
            {
                Assert.DoesNotContain("\"asn\":", l, StringComparison.Ordinal);
                Assert.DoesNotContain("\"country\":", l, StringComparison.Ordinal);
                Assert.DoesNotContain("\"device\":", l, StringComparison.Ordinal);
                Assert.Contains("\"label\":", l, StringComparison.Ordinal);
            });
            Assert.Equal(fullLines.Count(l => l.Contains("\"secret_fp\":", StringComparison.Ordinal)),
                thinLines.Count(l => l.Contains("\"secret_fp\":", StringComparison.Ordinal)));
        }
        finally
        {
            File.Delete(full);
            File.Delete(thin);
        }
    }

    [Fact]
    public void Omit_OfAFieldThatIsNotOptional_ExitsTwoAndWritesNothing()
    {
        string path = Path.Combine(Path.GetTempPath(), $"mamori-sim-{Guid.NewGuid():N}.jsonl");
        Assert.Equal(2, Program.CreateRootCommand().Parse(["simulate", "--users", "300", "--days", "1", "--omit", "ip", "--out", path]).Invoke());
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void AnOutputEndingInGz_IsTheSameLogGzipped()
    {
        string plain = Path.Combine(Path.GetTempPath(), $"mamori-sim-{Guid.NewGuid():N}.jsonl");
        string gzipped = plain + ".gz";
        try
        {
            foreach (string path in new[] { plain, gzipped })
                Assert.Equal(0, Program.CreateRootCommand().Parse(["simulate", "--scenario", "brute-force", "--users", "300", "--days", "1", "--seed", "3", "--out", path]).Invoke());

            using var gz = new System.IO.Compression.GZipStream(File.OpenRead(gzipped), System.IO.Compression.CompressionMode.Decompress);
            var unzipped = new MemoryStream();
            gz.CopyTo(unzipped);
            Assert.Equal(File.ReadAllBytes(plain), unzipped.ToArray());
            Assert.True(new FileInfo(gzipped).Length * 4 < new FileInfo(plain).Length);
        }
        finally
        {
            File.Delete(plain);
            File.Delete(gzipped);
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
