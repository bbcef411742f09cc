using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Mamori.State;
using Mamori.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Mamori.Server.Tests;

/// <summary>The real server in memory (TestServer), on a fresh data folder, with an admin key set through MAMORI_API_KEY.</summary>
public sealed class MamoriFactory : WebApplicationFactory<Program>
{
    public const string AdminKey = "test-admin-key-0123456789abcdef";

    public string DataPath { get; set; } = Directory.CreateTempSubdirectory("mamori-test-").FullName;
    public FakeTimeProvider? Time { get; init; }
    public IMamoriStorage? Storage { get; init; }
    public bool BootstrapKey { get; init; } = true;
    public bool CaptureLogs { get; init; }
    /// <summary>Leave the data folder behind on dispose (for a restart on it).</summary>
    public bool KeepData { get; init; }
    public Dictionary<string, string?> Settings { get; } = new(StringComparer.Ordinal);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting(ServerSettings.Section + ":DataPath", DataPath);
        if (BootstrapKey) builder.UseSetting("MAMORI_API_KEY", AdminKey);
        // A first SQLite commit on a busy CI disk can take longer than the 250 ms default, and the answer would then
        // carry storage_unavailable. Tests about other things must not depend on the disk; a test may set its own.
        builder.UseSetting(ServerSettings.Section + ":StorageTimeout", "00:00:30");
        foreach ((string key, string? value) in Settings) builder.UseSetting(key, value);
        builder.ConfigureLogging(logging =>
        {
            if (!CaptureLogs) return;
            logging.AddFakeLogging();
            logging.SetMinimumLevel(LogLevel.Trace);
            logging.AddFilter("Microsoft", LogLevel.Trace);
            logging.AddFilter("Microsoft.AspNetCore", LogLevel.Trace);
        });
        builder.ConfigureTestServices(services =>
        {
            if (Time is not null) services.AddSingleton<TimeProvider>(Time);
            if (Storage is not null) services.AddSingleton(Storage);
        });
    }

    /// <summary>A client with the admin key.</summary>
    public HttpClient Admin() => WithKey(AdminKey);

    /// <summary>A client sending <paramref name="key"/> in X-Api-Key.</summary>
    public HttpClient WithKey(string key)
    {
        HttpClient client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    public InMemorySignalStore Signals => Services.GetRequiredService<InMemorySignalStore>();

    /// <summary>Rows in the decisions table, read from the file itself.</summary>
    public long DecisionRows()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(DataPath, "mamori.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using SqliteCommand cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM decisions";
        return (long)cmd.ExecuteScalar()!;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (KeepData) return;
        try { Directory.Delete(DataPath, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>Small helpers to talk JSON.</summary>
internal static class Http
{
    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<JsonElement> PostJsonAsync(this HttpClient client, string path, string json, int expectedStatus = 200)
    {
        using HttpResponseMessage response = await client.PostAsync(path, Json(json));
        string body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expectedStatus, $"Expected {expectedStatus}, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string path, int expectedStatus = 200)
    {
        using HttpResponseMessage response = await client.GetAsync(path);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expectedStatus, $"Expected {expectedStatus}, got {(int)response.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    public static async Task<JsonElement> DeleteJsonAsync(this HttpClient client, string path, int expectedStatus = 200)
    {
        using HttpResponseMessage response = await client.DeleteAsync(path);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expectedStatus, $"Expected {expectedStatus}, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Asserts an RFC 7807 document with the status and, when given, the offending field.</summary>
    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, int status, string? field = null)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"Expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        JsonElement problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        if (field is not null)
        {
            Assert.Equal(field, problem.GetProperty("field").GetString());
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), body);
        }
        return problem;
    }

    public static string[] ReasonCodes(this JsonElement decision) =>
        decision.GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("code").GetString()!).ToArray();
}
