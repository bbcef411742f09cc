using StackExchange.Redis;

namespace Mamori.State.Redis;

/// <summary>One connection for everything a node keeps in Redis (signals and campaigns), configured as
/// <see cref="RedisSignalStore"/> needs it: fail fast while disconnected, reconnect forever.</summary>
public static class RedisConnection
{
    /// <summary>Connects (without waiting for the server: the connection comes up, and back, by itself).</summary>
    /// <exception cref="ArgumentException">The options are invalid or <see cref="RedisSignalStoreOptions.Configuration"/>
    /// cannot be read; the message says which.</exception>
    public static async Task<ConnectionMultiplexer> ConnectAsync(RedisSignalStoreOptions redis)
    {
        ArgumentNullException.ThrowIfNull(redis);
        redis.Validate();
        return await ConnectionMultiplexer.ConnectAsync(Configuration(redis)).ConfigureAwait(false);
    }

    /// <summary>The client configuration for <paramref name="redis"/>, with a clear error for a malformed address.</summary>
    /// <exception cref="ArgumentException">The address cannot be read.</exception>
    public static ConfigurationOptions Configuration(RedisSignalStoreOptions redis)
    {
        ArgumentNullException.ThrowIfNull(redis);
        string text = redis.Configuration.Trim();
        // Any other scheme ("rediss://", "http://") would reach the client's own parser, which takes "rediss" as a host
        // name and leaves the node degraded for good instead of refusing to start.
        int scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0 && !text.StartsWith("redis://", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"The Redis address '{Redacted(text)}' has the scheme '{text[..scheme]}'; only redis://host:port is read as a URL. " +
                "For TLS or a password use a StackExchange.Redis configuration string: host:port,ssl=true,password=…");
        }
        if (text.StartsWith("redis://", StringComparison.OrdinalIgnoreCase) && Uri.TryCreate(text, UriKind.Absolute, out Uri? withUser) && withUser.UserInfo.Length > 0)
        {
            // A password in the URL would be dropped silently, and the node would then fail every call with NOAUTH.
            throw new ArgumentException($"The Redis address '{Redacted(text)}' carries a user or password, which a redis:// URL here does not pass on. " +
                "Use a StackExchange.Redis configuration string: host:port,user=…,password=…");
        }
        if (text.StartsWith("redis://", StringComparison.OrdinalIgnoreCase) &&
            (!Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) || string.IsNullOrEmpty(uri.Host) || uri.AbsolutePath.Length > 1 || uri.Query.Length > 0))
        {
            throw new ArgumentException($"The Redis address '{text}' is not a valid redis://host[:port] URL. " +
                "Use redis://host:port, host:port, or a StackExchange.Redis configuration string (host:port,password=…,ssl=true).");
        }
        ConfigurationOptions options;
        try
        {
            options = RedisSignalStore.ToConfiguration(redis);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or UriFormatException)
        {
            throw new ArgumentException($"The Redis address '{text}' cannot be read: {ex.Message}", ex);
        }
        if (options.EndPoints.Count == 0)
            throw new ArgumentException($"The Redis address '{text}' names no server; use redis://host:port or host:port.");
        return options;
    }

    /// <summary>The address with any <c>user:password@</c> replaced, for messages and logs.</summary>
    private static string Redacted(string text)
    {
        int scheme = text.IndexOf("://", StringComparison.Ordinal);
        int at = text.IndexOf('@', StringComparison.Ordinal);
        return scheme >= 0 && at > scheme ? text[..(scheme + 3)] + "…@" + text[(at + 1)..] : text;
    }
}
