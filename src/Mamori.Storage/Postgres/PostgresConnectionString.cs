using System.Globalization;
using Npgsql;

namespace Mamori.Storage.Postgres;

/// <summary>
/// Reads where the PostgreSQL database is: a <c>postgres://user:password@host:port/database?sslmode=require</c> URL
/// (also <c>postgresql://</c>) or a plain Npgsql connection string (<c>Host=…;Username=…;Database=…</c>).
/// </summary>
/// <remarks>
/// Npgsql reads only its own key/value form, so the URL form (the one libpq, Heroku-style environments and most
/// operators write) is translated here by hand. Error messages never repeat the text they were given: it may hold a
/// password.
/// </remarks>
public static class PostgresConnectionString
{
    /// <summary>Longest text accepted (a connection string is a few hundred characters; a megabyte is a mistake).</summary>
    public const int MaxLength = 4_096;

    /// <summary>The port a URL without one means (PostgreSQL's own default).</summary>
    public const int DefaultPort = 5432;

    /// <summary>Query parameters a URL may carry, with the Npgsql keyword each becomes.</summary>
    private static readonly Dictionary<string, string> s_urlParameters = new(StringComparer.Ordinal)
    {
        ["sslmode"] = "SSL Mode",
        ["application_name"] = "Application Name",
        ["connect_timeout"] = "Timeout",
        ["search_path"] = "Search Path",
        ["target_session_attrs"] = "Target Session Attributes",
    };

    /// <summary>Parses a URL or connection string; throws <see cref="FormatException"/> naming what is wrong (never the password).</summary>
    /// <param name="text">The URL or connection string.</param>
    public static NpgsqlConnectionStringBuilder Parse(string text)
    {
        if (!TryParse(text, out NpgsqlConnectionStringBuilder? builder, out string? error)) throw new FormatException(error);
        return builder;
    }

    /// <summary>Parses a URL or connection string; on failure <paramref name="error"/> says what is wrong (never the password).</summary>
    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out NpgsqlConnectionStringBuilder? builder,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        builder = null;
        if (string.IsNullOrWhiteSpace(text)) { error = "the PostgreSQL database is empty; give postgres://user:password@host:port/database or an Npgsql connection string."; return false; }
        if (text.Length > MaxLength) { error = $"the PostgreSQL connection text is longer than {MaxLength} characters."; return false; }
        text = text.Trim();
        error = IsUrl(text) ? FromUrl(text, out builder) : FromConnectionString(text, out builder);
        if (error is null && string.IsNullOrEmpty(builder!.Host)) error = "the PostgreSQL connection string names no Host.";
        if (error is null && string.IsNullOrEmpty(builder!.Database)) error = "the PostgreSQL connection names no database (postgres://…/database or Database=…).";
        if (error is not null) builder = null;
        return error is null;
    }

    /// <summary>Where the database is, for logs and health: <c>postgres://host:port/database</c>, never the user or password.</summary>
    public static string Describe(NpgsqlConnectionStringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return string.Create(CultureInfo.InvariantCulture, $"postgres://{builder.Host}:{builder.Port}/{builder.Database}");
    }

    private static bool IsUrl(string text) =>
        text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);

    private static string? FromConnectionString(string text, out NpgsqlConnectionStringBuilder? builder)
    {
        builder = null;
        if (text.Contains("://", StringComparison.Ordinal))
            return "the PostgreSQL URL must start with postgres:// or postgresql://.";
        try
        {
            builder = new NpgsqlConnectionStringBuilder(text);
            return null;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            // Npgsql names the keyword it refused, not the value; still, say only the keyword part of its message.
            return $"not a valid Npgsql connection string ({FirstSentence(ex.Message)}).";
        }
    }

    private static string? FromUrl(string text, out NpgsqlConnectionStringBuilder? builder)
    {
        builder = null;
        if (!Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) || string.IsNullOrEmpty(uri.Host))
            return "not a valid PostgreSQL URL; expected postgres://user:password@host:port/database.";
        if (uri.Port is 0 or > 65_535) return "the PostgreSQL URL's port must be 1 to 65535.";
        var result = new NpgsqlConnectionStringBuilder { Host = uri.Host.Trim('[', ']'), Port = uri.Port < 0 ? DefaultPort : uri.Port };
        if (uri.UserInfo.Length > 0)
        {
            int colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            result.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0) result.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }
        string path = uri.AbsolutePath.TrimStart('/');
        if (path.Contains('/', StringComparison.Ordinal)) return "the PostgreSQL URL's path must be just the database name.";
        result.Database = Uri.UnescapeDataString(path);
        string query = uri.Query.TrimStart('?');
        foreach (string pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            string name = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            string value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            if (!s_urlParameters.TryGetValue(name, out string? keyword))
                return $"the PostgreSQL URL has an unknown parameter '{name}' (known: {string.Join(", ", s_urlParameters.Keys)}).";
            try
            {
                result[keyword] = keyword == "SSL Mode" ? SslModeName(value) : value;
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException or OverflowException)
            {
                return $"the PostgreSQL URL's parameter '{name}' has a value Npgsql refuses ({FirstSentence(ex.Message)}).";
            }
        }
        builder = result;
        return null;
    }

    // libpq spells the modes verify-ca / verify-full; Npgsql's enum names have no dash.
    private static string SslModeName(string value) => value.Replace("-", "", StringComparison.Ordinal);

    private static string FirstSentence(string message)
    {
        int end = message.IndexOfAny(['\n', '\r']);
        return (end < 0 ? message : message[..end]).TrimEnd('.');
    }
}
