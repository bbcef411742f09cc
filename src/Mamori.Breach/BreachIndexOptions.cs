using System.ComponentModel.DataAnnotations;

namespace Mamori.Breach;

/// <summary>Where the breached-password indexes live and how the range endpoint is exposed.</summary>
public sealed class BreachIndexOptions
{
    /// <summary>The Mamori data folder; indexes are read from its <c>breach/</c> sub-folder.</summary>
    /// <value>The default is <c>./mamori-data</c>, the same default as <c>mamori breach import --data</c>.</value>
    [Required]
    public string DataFolder { get; set; } = "./mamori-data";

    /// <summary>Whether <c>GET /range/{prefix}</c> requires the caller to authenticate (the server's API key).</summary>
    /// <remarks>Off by default, like the public API: the corpus is public data, and a range answer reveals nothing
    /// about the caller's password beyond its 5-hex prefix. Turn it on to keep the endpoint from being used as a
    /// free mirror by anyone who can reach the host.</remarks>
    /// <value>The default is false.</value>
    public bool RequireApiKey { get; set; }

    /// <summary>How often the service looks for a newly imported (or removed) index file.</summary>
    /// <remarks>A check is one file-status call, made by a query at most this often; an import that finishes while the
    /// server runs is served within this time, without a restart.</remarks>
    /// <value>The default is 10 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ReloadInterval { get; set; } = TimeSpan.FromSeconds(10);
}
