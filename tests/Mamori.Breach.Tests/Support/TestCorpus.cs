using System.Security.Cryptography;
using System.Text;

namespace Mamori.Breach.Tests.Support;

/// <summary>A small Pwned Passwords corpus the tests build themselves: the first few thousand entries of zxcvbn's
/// common-password list (shipped in the zxcvbn-core NuGet package) plus famous ones, hashed with SHA-1 and NTLM,
/// with deterministic counts chosen to exercise every count encoding. Written unsorted, with malformed lines.</summary>
internal sealed class TestCorpus
{
    public static readonly string[] Famous = ["password", "123456", "P@ssw0rd", "qwerty", "letmein", "Password1"];

    /// <summary>Counts at the edges of the index's count encoding.</summary>
    private static readonly uint[] s_edgeCounts = [0, 1, 12, 13, 268, 269, 65_804, 65_805, 10_434_004, uint.MaxValue];

    private TestCorpus(IReadOnlyList<string> passwords, Dictionary<string, uint> sha1, Dictionary<string, uint> ntlm)
    {
        Passwords = passwords;
        Sha1 = sha1;
        Ntlm = ntlm;
    }

    /// <summary>Every password in the corpus.</summary>
    public IReadOnlyList<string> Passwords { get; }

    /// <summary>Full uppercase SHA-1 hex → count, as the index must answer it (duplicate lines already added up).</summary>
    public Dictionary<string, uint> Sha1 { get; }

    /// <summary>Full uppercase NTLM hex → count.</summary>
    public Dictionary<string, uint> Ntlm { get; }

    public static TestCorpus Create(int commonPasswords = 3000)
    {
        var passwords = new List<string>(Famous);
        var seen = new HashSet<string>(Famous, StringComparer.Ordinal);
        foreach (string line in ReadZxcvbnPasswords())
        {
            if (passwords.Count >= commonPasswords + Famous.Length) break;
            if (seen.Add(line)) passwords.Add(line);
        }
        var random = new Random(20201);
        var sha1 = new Dictionary<string, uint>(StringComparer.Ordinal);
        var ntlm = new Dictionary<string, uint>(StringComparer.Ordinal);
        for (int i = 0; i < passwords.Count; i++)
        {
            // Heavy-tailed like the real corpus (most hashes seen a few times, a few seen millions of times).
            uint count = i < s_edgeCounts.Length
                ? s_edgeCounts[i]
                : (uint)Math.Min(uint.MaxValue, Math.Floor(1 / Math.Pow(1 - random.NextDouble(), 1.25)));
            sha1[Sha1Hex(passwords[i])] = count;
            ntlm[NtlmHex(passwords[i])] = count;
        }
        return new TestCorpus(passwords, sha1, ntlm);
    }

    public static string Sha1Hex(string password) => Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(password)));

    public static string NtlmHex(string password) => Convert.ToHexString(Md4.Ntlm(password));

    /// <summary>The malformed lines written into the corpus and the reason the import must give for each.</summary>
    public static readonly (string Line, string Reason)[] MalformedLines =
    [
        ("NOT-A-HASH:5", "hash has 10 characters; a SHA-1 hash has 40"),
        ("5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8", "no ':' between hash and count"),
        ("5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8:abc", "count is not a whole number"),
        ("5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8:", "count is not a whole number"),
        ("5BAA61E4C9B93F3F0682250B6CF8331B7EE68FZ8:7", "hash is not hexadecimal"),
        ("5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD:7", "hash has 39 characters; a SHA-1 hash has 40"),
        ("5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8:99999999999", "count is larger than 4294967295"),
        ("8846F7EAEE8FB117AD06BDD830B7586C:3", "hash has 32 characters; a SHA-1 hash has 40"),
        ("", "empty line"),
        ("5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8:-1", "count is not a whole number"),
    ];

    /// <summary>Writes the SHA-1 (or NTLM) corpus shuffled, with the malformed lines spread through it, one
    /// duplicate of <paramref name="duplicateOf"/> whose count the index must add, mixed CRLF/LF endings and no line
    /// break after the last line. Returns the expected rejected lines (number, reason).</summary>
    public List<(long Line, string Reason)> Write(string path, PwnedHashMode mode, string? duplicateOf = "password", uint duplicateCount = 5)
    {
        Dictionary<string, uint> hashes = mode == PwnedHashMode.Sha1 ? Sha1 : Ntlm;
        var lines = hashes.Select(h => $"{h.Key}:{h.Value}").ToList();
        var random = new Random(7);
        for (int i = lines.Count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (lines[i], lines[j]) = (lines[j], lines[i]);
        }
        if (duplicateOf is not null)
        {
            string hex = mode == PwnedHashMode.Sha1 ? Sha1Hex(duplicateOf) : NtlmHex(duplicateOf);
            lines.Insert(lines.Count / 2, $"{hex.ToLowerInvariant()}:{duplicateCount}");   // lower case is accepted
            hashes[hex] = (uint)Math.Min((ulong)hashes[hex] + duplicateCount, uint.MaxValue);
        }
        var rejected = new List<(long, string)>();
        if (mode == PwnedHashMode.Sha1)
        {
            for (int k = 0; k < MalformedLines.Length; k++)
            {
                int at = 3 + k * (lines.Count / MalformedLines.Length);
                lines.Insert(at, MalformedLines[k].Line);
            }
            for (int n = 0; n < lines.Count; n++)
            {
                int k = Array.FindIndex(MalformedLines, m => m.Line == lines[n]);
                if (k >= 0) rejected.Add((n + 1, MalformedLines[k].Reason));
            }
        }
        var text = new StringBuilder();
        for (int n = 0; n < lines.Count; n++)
        {
            text.Append(lines[n]);
            if (n < lines.Count - 1) text.Append(n % 3 == 0 ? "\n" : "\r\n");
        }
        File.WriteAllText(path, text.ToString(), new UTF8Encoding(false));
        return rejected;
    }

    /// <summary>The body the public API format requires for a prefix: ascending uppercase <c>SUFFIX:COUNT</c> lines
    /// joined by CRLF, none after the last.</summary>
    public string ExpectedRange(PwnedHashMode mode, string prefix)
    {
        Dictionary<string, uint> hashes = mode == PwnedHashMode.Sha1 ? Sha1 : Ntlm;
        return string.Join("\r\n", hashes
            .Where(h => h.Key.StartsWith(prefix, StringComparison.Ordinal))
            .OrderBy(h => h.Key, StringComparer.Ordinal)
            .Select(h => $"{h.Key[5..]}:{h.Value}"));
    }

    private static IEnumerable<string> ReadZxcvbnPasswords()
    {
        var assembly = typeof(Zxcvbn.Zxcvbn).Assembly;
        string name = assembly.GetManifestResourceNames().Single(n => n.EndsWith("passwords.lst", StringComparison.Ordinal));
        using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
        while (reader.ReadLine() is { } line)
            if (line.Length > 0) yield return line;
    }
}
