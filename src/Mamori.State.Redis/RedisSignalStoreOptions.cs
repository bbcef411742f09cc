using System.ComponentModel.DataAnnotations;

namespace Mamori.State.Redis;

/// <summary>How the Redis signal store connects, how long it waits, and how long idle state lives.</summary>
public sealed class RedisSignalStoreOptions
{
    /// <summary>Where the store is: <c>redis://host:port</c>, <c>host:port</c>, or a StackExchange.Redis
    /// configuration string (<c>host:port,password=…,ssl=true</c>).</summary>
    /// <value>The default is <c>127.0.0.1:6379</c>.</value>
    [Required] public string Configuration { get; set; } = "127.0.0.1:6379";

    /// <summary>Prefix of every key, and the cluster hash tag they share (<c>{mamori}:a:…</c>). Two deployments on
    /// one server keep apart by prefix.</summary>
    /// <value>The default is <c>mamori</c>.</value>
    [Required, RegularExpression("^[A-Za-z0-9_.-]{1,32}$")] public string KeyPrefix { get; set; } = "mamori";

    /// <summary>Longest wait for one call. A login must not hang on a slow store: past this the call fails and the
    /// engine answers per its fail mode. Loopback calls take well under a millisecond.</summary>
    /// <value>The default is 100 ms.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:10")] public TimeSpan Timeout { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long an account untouched by any login keeps its history (the embedded store keeps it until
    /// evicted by newer accounts). Too short and a user who logs in quarterly looks new every time.</summary>
    /// <value>The default is 180 days.</value>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")] public TimeSpan AccountRetention { get; set; } = TimeSpan.FromDays(180);

    /// <summary>Whether the node answers from its own in-memory store while Redis is unreachable, instead of failing
    /// each call. On: attacks aimed at this node are still seen (not those spread over nodes) and the fail mode
    /// is not applied; the local state is not merged back. Off: every call fails fast and the engine applies
    /// its fail mode (reason <c>signal_store_unavailable</c>).</summary>
    /// <value>The default is false.</value>
    public bool LocalFallback { get; set; }

    /// <summary>How keys map to hash slots: all under one hash tag (one atomic script per observation; a cluster keeps
    /// the whole store on one shard) or each key on its own slot (a cluster spreads the store over its shards; each
    /// observation is several per-key scripts sent in parallel, still one round trip). See docs/adr/0006.</summary>
    /// <remarks>Every node of a deployment must use the same layout, and changing it starts the signals empty (the keys
    /// are named differently). <see cref="RedisKeyLayout.Auto"/> picks <see cref="RedisKeyLayout.Spread"/> on a Redis
    /// Cluster and <see cref="RedisKeyLayout.SingleSlot"/> on a single server, where one script costs the server less
    /// than the parts.</remarks>
    /// <value>The default is <see cref="RedisKeyLayout.Auto"/>.</value>
    public RedisKeyLayout KeyLayout { get; set; } = RedisKeyLayout.Auto;

    /// <summary>Whether a pre-auth only reads (one <c>MGET</c>, no script) and its attempt is counted by its outcome's
    /// script, or, when no outcome comes within <see cref="AttemptWait"/>, sent alone then (docs/adr/0021). On: about
    /// half of Redis's work per login, and a third of what it sends back; another node sees an attempt when its outcome
    /// comes, as it sees the failure itself. Off: a pre-auth counts its attempt at once, as the embedded store does.</summary>
    /// <value>The default is true.</value>
    public bool CountAttemptsWithOutcome { get; set; } = true;

    /// <summary>How long a pre-auth's attempt waits for its outcome to count it (with <see cref="CountAttemptsWithOutcome"/>)
    /// before it is sent alone (checked on the login path, at most ten times per wait: up to 1.1 × this): a denied
    /// pre-auth has no outcome, and a challenged one may take a person's minute. A password check takes well under a
    /// second.</summary>
    /// <value>The default is 2 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")] public TimeSpan AttemptWait { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Throws with every invalid setting named, at start-up rather than on the first login.</summary>
    public void Validate()
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true))
            throw new ArgumentException("Invalid Redis signal store options: " + string.Join("; ", results.Select(r => r.ErrorMessage)));
    }
}

/// <summary>How the Redis signal store names its keys for hash slots (<see cref="RedisSignalStoreOptions.KeyLayout"/>).</summary>
public enum RedisKeyLayout
{
    /// <summary><see cref="Spread"/> on a Redis Cluster, <see cref="SingleSlot"/> otherwise (decided at the first connection).</summary>
    Auto,
    /// <summary>Every key under the hash tag <c>{prefix}</c>: one atomic script per observation, on one shard.</summary>
    SingleSlot,
    /// <summary>Each account, source and secret on its own slot (<c>prefix:a:{…}</c>); global rates and the population
    /// under <c>{prefix}</c>. The parts of an observation go to their shards in parallel: one round trip.</summary>
    Spread,
}
