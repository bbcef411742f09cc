using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;

namespace Mamori.Dashboard;

/// <summary>The SPA's files, read once from the assembly's embedded resources.</summary>
/// <remarks>A flat set of a few small files: a file provider and static-file middleware would add routing outside
/// <see cref="DashboardEndpoints.MapMamoriDashboard"/>, which must stay one self-contained mount.</remarks>
internal static class DashboardAssets
{
    private const string Prefix = "mamori-dashboard/";

    private static readonly FrozenDictionary<string, Asset> s_assets = Load();

    /// <summary>A file's bytes, type and ETag.</summary>
    internal sealed record Asset(byte[] Bytes, string ContentType, string ETag);

    /// <summary>Finds a file by name (<c>app.js</c>).</summary>
    public static bool TryGet(string name, out Asset asset) => s_assets.TryGetValue(name, out asset!);

    /// <summary>Names of every file.</summary>
    public static IEnumerable<string> Names => s_assets.Keys;

    private static FrozenDictionary<string, Asset> Load()
    {
        Assembly assembly = typeof(DashboardAssets).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (string resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(Prefix, StringComparison.Ordinal)) continue;
            using Stream stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            byte[] bytes = copy.ToArray();
            string name = resource[Prefix.Length..];
            string etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 8)) + "\"";
            assets[name] = new Asset(bytes, ContentType(name), etag);
        }
        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string ContentType(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".json" => "application/json",
        _ => "application/octet-stream",
    };
}
