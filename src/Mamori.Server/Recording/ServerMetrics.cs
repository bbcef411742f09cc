using System.Globalization;
using System.Text;
using Mamori.Events;
using Mamori.Policy;

namespace Mamori.Server.Recording;

/// <summary>Which endpoint a decision came from (a label of the metrics).</summary>
public enum DecisionEndpoint : byte
{
    /// <summary><c>/v1/login/assess</c>.</summary>
    Assess,
    /// <summary><c>/v1/login/outcome</c>.</summary>
    Outcome,
    /// <summary><c>/v1/login/events</c>.</summary>
    Event,
    /// <summary><c>/v1/login/step-up</c>.</summary>
    StepUp,
    /// <summary><c>/v1/password/change</c>.</summary>
    PasswordChange,
}

/// <summary>
/// Counters and a latency histogram in Prometheus text format (exposition format 0.0.4).
/// </summary>
/// <remarks>
/// Hand-written, with lock-free counters: the handful of series needed here cost two Interlocked adds per request,
/// where a general metrics library allocates label sets. Thread-safe.
/// </remarks>
public sealed class ServerMetrics
{
    // Upper bounds in seconds: the budget (2 ms) sits between two buckets' edges so p99 against it is readable.
    private static readonly double[] s_bounds = [0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
    private static readonly string[] s_endpoints = ["assess", "outcome", "event", "step_up", "password_change"];
    private static readonly Verdict[] s_verdicts = [Verdict.Allow, Verdict.Challenge, Verdict.StepUp, Verdict.Deny];

    private readonly long[] _decisions = new long[s_endpoints.Length * s_verdicts.Length];
    private readonly long[] _buckets = new long[s_endpoints.Length * (s_bounds.Length + 1)];
    private readonly long[] _counts = new long[s_endpoints.Length];
    private readonly long[] _sumMicros = new long[s_endpoints.Length];
    private long _storageFailures;
    private readonly long[] _fields = new long[OptionalAttemptFields.Names.Count];
    private long _attempts;

    /// <summary>
    /// Counts a login attempt the engine saw and which optional fields it carried (after GeoIP), so an integration that
    /// never sends a device token or a fingerprint shows as a ratio near zero, not as weaker detection nobody explains.
    /// </summary>
    public void Attempt(LoginAttempt attempt)
    {
        Interlocked.Increment(ref _attempts);
        for (int f = 0; f < _fields.Length; f++)
            if (OptionalAttemptFields.Carries(attempt, f)) Interlocked.Increment(ref _fields[f]);
    }

    /// <summary>Counts one decision.</summary>
    public void Decision(DecisionEndpoint endpoint, Verdict verdict) =>
        Interlocked.Increment(ref _decisions[(int)endpoint * s_verdicts.Length + (int)verdict]);

    /// <summary>Records how long one request took.</summary>
    public void Latency(DecisionEndpoint endpoint, TimeSpan elapsed)
    {
        double seconds = elapsed.TotalSeconds;
        int bucket = 0;
        while (bucket < s_bounds.Length && seconds > s_bounds[bucket]) bucket++;
        int e = (int)endpoint;
        Interlocked.Increment(ref _buckets[e * (s_bounds.Length + 1) + bucket]);
        Interlocked.Increment(ref _counts[e]);
        Interlocked.Add(ref _sumMicros[e], (long)(seconds * 1_000_000));
    }

    /// <summary>Counts a decision that could not be stored.</summary>
    public void StorageFailure() => Interlocked.Increment(ref _storageFailures);

    /// <summary>Decisions counted for an endpoint and verdict.</summary>
    public long DecisionCount(DecisionEndpoint endpoint, Verdict verdict) =>
        Interlocked.Read(ref _decisions[(int)endpoint * s_verdicts.Length + (int)verdict]);

    /// <summary>Writes every series; <paramref name="gauges"/> adds point-in-time values (name, help, value).</summary>
    public string Render(IEnumerable<(string Name, string Help, double Value)> gauges)
    {
        var text = new StringBuilder(4096);
        text.Append("# HELP mamori_decisions_total Decisions answered, by endpoint and verdict.\n# TYPE mamori_decisions_total counter\n");
        for (int e = 0; e < s_endpoints.Length; e++)
            for (int v = 0; v < s_verdicts.Length; v++)
                text.Append(CultureInfo.InvariantCulture, $"mamori_decisions_total{{endpoint=\"{s_endpoints[e]}\",decision=\"{s_verdicts[v].ToWireName()}\"}} {Interlocked.Read(ref _decisions[e * s_verdicts.Length + v])}\n");
        text.Append("# HELP mamori_request_duration_seconds Time to answer a login endpoint, including the durable commit.\n# TYPE mamori_request_duration_seconds histogram\n");
        for (int e = 0; e < s_endpoints.Length; e++)
        {
            long cumulative = 0;
            for (int b = 0; b <= s_bounds.Length; b++)
            {
                cumulative += Interlocked.Read(ref _buckets[e * (s_bounds.Length + 1) + b]);
                string le = b < s_bounds.Length ? s_bounds[b].ToString("R", CultureInfo.InvariantCulture) : "+Inf";
                text.Append(CultureInfo.InvariantCulture, $"mamori_request_duration_seconds_bucket{{endpoint=\"{s_endpoints[e]}\",le=\"{le}\"}} {cumulative}\n");
            }
            text.Append(CultureInfo.InvariantCulture, $"mamori_request_duration_seconds_sum{{endpoint=\"{s_endpoints[e]}\"}} {Interlocked.Read(ref _sumMicros[e]) / 1_000_000.0:R}\n");
            text.Append(CultureInfo.InvariantCulture, $"mamori_request_duration_seconds_count{{endpoint=\"{s_endpoints[e]}\"}} {Interlocked.Read(ref _counts[e])}\n");
        }
        text.Append(CultureInfo.InvariantCulture, $"# HELP mamori_attempts_total Login attempts assessed (assess and events).\n# TYPE mamori_attempts_total counter\nmamori_attempts_total {Interlocked.Read(ref _attempts)}\n");
        text.Append("# HELP mamori_attempt_fields_total Attempts that carried each optional field (after GeoIP); divide by mamori_attempts_total.\n# TYPE mamori_attempt_fields_total counter\n");
        for (int f = 0; f < _fields.Length; f++)
            text.Append(CultureInfo.InvariantCulture, $"mamori_attempt_fields_total{{field=\"{OptionalAttemptFields.Names[f]}\"}} {Interlocked.Read(ref _fields[f])}\n");
        text.Append(CultureInfo.InvariantCulture, $"# HELP mamori_storage_failures_total Decisions answered by the failure policy because storage failed.\n# TYPE mamori_storage_failures_total counter\nmamori_storage_failures_total {Interlocked.Read(ref _storageFailures)}\n");
        foreach ((string name, string help, double value) in gauges)
            text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value:R}\n");
        return text.ToString();
    }
}
