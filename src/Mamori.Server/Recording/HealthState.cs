namespace Mamori.Server.Recording;

/// <summary>What is wrong with the node right now, per component. Thread-safe.</summary>
public sealed class HealthState
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _problems = new(StringComparer.Ordinal);

    /// <summary>Marks a component failing, with why (no secret ever goes here: it is served anonymously).</summary>
    public void Fail(string component, string why)
    {
        lock (_gate) _problems[component] = why;
    }

    /// <summary>Marks a component healthy again.</summary>
    public void Recover(string component)
    {
        lock (_gate) _problems.Remove(component);
    }

    /// <summary>Whether the component is failing.</summary>
    public bool IsFailing(string component)
    {
        lock (_gate) return _problems.ContainsKey(component);
    }

    /// <summary>Current problems as <c>component: why</c>, sorted.</summary>
    public IReadOnlyList<string> Problems()
    {
        lock (_gate) return _problems.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {p.Value}").ToArray();
    }
}
