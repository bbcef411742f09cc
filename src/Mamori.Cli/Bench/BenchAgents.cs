namespace Mamori.Cli.Bench;

/// <summary>The user agents the in-process benchmarks' generated traffic uses: an iPhone, an Android phone, a desktop.</summary>
internal static class BenchAgents
{
    /// <summary>Index 0 iPhone Safari, 1 Android Chrome, 2 Windows Chrome (the attackers' agent in the benchmarks).</summary>
    public static readonly string[] All =
    [
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 14; SO-51D) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
    ];
}
