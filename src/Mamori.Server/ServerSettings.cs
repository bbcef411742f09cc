using System.ComponentModel.DataAnnotations;

namespace Mamori.Server;

/// <summary>How the HTTP service runs. Bound from configuration section <c>Mamori:Server</c>; validated at start.</summary>
public sealed class ServerSettings
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Mamori:Server";

    /// <summary>Folder for the database, the key files and the signal snapshot.</summary>
    /// <value>The default is <c>./mamori-data</c>.</value>
    [Required] public string DataPath { get; set; } = "./mamori-data";

    /// <summary>Where the signals live: <c>memory</c> (this process, snapshotted to the data folder) or a Redis-protocol
    /// server — <c>redis://host:port</c>, <c>host:port</c> or a StackExchange.Redis configuration string — shared by every
    /// node (signals and open campaigns; snapshots off). Further Redis options come from section <c>Mamori:Redis</c>.</summary>
    /// <value>The default is <c>memory</c>.</value>
    [Required] public string Store { get; set; } = MemoryStore;

    /// <summary>The value of <see cref="Store"/> that keeps signals in this process.</summary>
    public const string MemoryStore = "memory";

    /// <summary>
    /// The PostgreSQL database for the durable records (decisions, devices, account flags, campaigns, API keys, admin
    /// audit): <c>postgres://user:password@host:port/database</c> or an Npgsql connection string.
    /// </summary>
    /// <remarks>Empty keeps the embedded SQLite file in <see cref="DataPath"/>. Scale-out nodes share one database;
    /// the data folder still holds each node's device-token key, generated key file and signal snapshot. Prefer the
    /// environment (<c>Mamori__Server__Database</c>) to a command line, which other users of the machine can read.</remarks>
    /// <value>The default is empty: SQLite.</value>
    [DatabaseSetting] public string? Database { get; set; }

    /// <summary>How far each decision batch is flushed before decisions are acknowledged.</summary>
    /// <remarks>Full fsyncs every batch (survives power loss). Normal survives a killed process but not a machine
    /// crash, and commits in microseconds instead of one fsync: choose it when the disk's fsync is slower than the
    /// latency budget (docs/BENCHMARKS.md, "HTTP assessment").</remarks>
    /// <value>The default is <see cref="Mamori.Storage.Sqlite.SqliteSynchronous.Full"/>.</value>
    public Mamori.Storage.Sqlite.SqliteSynchronous Synchronous { get; set; } = Mamori.Storage.Sqlite.SqliteSynchronous.Full;

    /// <summary>
    /// IP-geo databases (MaxMind DB files: GeoLite2/GeoIP2 ASN, Country or City, or files of that format such as
    /// ip-location-db's) that give a login its ASN and country when the caller sends none. A caller's own values win.
    /// </summary>
    /// <remarks>The familiarity model backs off from an address to its ASN and country, and a country new to the account
    /// steps up: without them (many login logs hold only the address) detection is weaker. Opened at start; a missing or
    /// unreadable file stops the server, named.</remarks>
    /// <value>The default is none.</value>
    public IList<string> GeoIpDatabases { get; set; } = [];

    /// <summary>How long a pre-auth assessment waits for its outcome (and an outcome for its step-up).</summary>
    /// <remarks>Logins take seconds; a long wait only holds memory for attempts whose caller never reported back.</remarks>
    /// <value>The default is 10 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")] public TimeSpan PendingTtl { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Assessments awaiting an outcome held at once; the oldest give way. About 1 KiB each.</summary>
    /// <remarks>Bounds memory when a caller assesses and never reports outcomes (or an attacker floods assess).</remarks>
    /// <value>The default is 200,000.</value>
    [Range(1_000, 10_000_000)] public int MaxPending { get; set; } = 200_000;

    /// <summary>How long a login waits for its decision to be committed before the failure policy answers instead.</summary>
    /// <remarks>A stalled disk must never hang a login (docs/api.md, Operations); a commit normally takes well under a millisecond.</remarks>
    /// <value>The default is 250 ms.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:30")] public TimeSpan StorageTimeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a device token stays valid.</summary>
    /// <value>The default is 90 days.</value>
    [Range(typeof(TimeSpan), "00:05:00", "400.00:00:00")] public TimeSpan DeviceTokenLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How often the in-memory signals are snapshotted to the data folder (also at shutdown).</summary>
    /// <value>The default is 5 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")] public TimeSpan SnapshotInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often API keys are re-read from storage (a revocation takes effect within this).</summary>
    /// <value>The default is 5 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")] public TimeSpan KeyRefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Serve <c>/metrics</c> without a key (for a scraper on a private network).</summary>
    /// <value>The default is <see langword="false"/>: an admin key is needed.</value>
    public bool AnonymousMetrics { get; set; }
}
