using System.Security.Cryptography;
using System.Text;

namespace Mamori.Cli.Tests.Commands;

/// <summary><c>mamori breach import</c>: a wrong file must not replace a good index.</summary>
public sealed class BreachImportCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mamori-breach-import-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Sha1Line(int i) => Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes($"password{i}"))) + ":3";

    [Fact]
    public void MostlyBadCorpus_ExitsTwoAndKeepsTheIndex_UnlessAccepted()
    {
        string data = Path.Combine(_dir, "data");
        string good = Path.Combine(_dir, "good.txt");
        File.WriteAllLines(good, Enumerable.Range(0, 2_000).Select(Sha1Line));
        Assert.Equal(0, Program.CreateRootCommand().Parse(["breach", "import", good, "--data", data]).Invoke());
        string index = Path.Combine(data, "breach", "pwned-sha1.idx");
        byte[] before = File.ReadAllBytes(index);
        string mostlyBad = Path.Combine(_dir, "mostlybad.txt");
        File.WriteAllLines(mostlyBad, [Sha1Line(1), .. Enumerable.Repeat("alice@example.com,hunter2", 400)]);

        int refused = Program.CreateRootCommand().Parse(["breach", "import", mostlyBad, "--data", data]).Invoke();

        Assert.Equal(2, refused);
        Assert.Equal(before, File.ReadAllBytes(index));

        int accepted = Program.CreateRootCommand().Parse(["breach", "import", mostlyBad, "--data", data, "--accept-bad-lines"]).Invoke();

        Assert.Equal(0, accepted);
        Assert.True(File.ReadAllBytes(index).Length < before.Length);
    }
}
