using Mamori.Policy;

namespace Mamori.Dashboard;

/// <summary>Parsing of the wire names the dashboard accepts; writing uses Core's own <c>ToWireName</c> switches.</summary>
internal static class DashboardWire
{
    /// <summary>Parses a verdict's wire name (exact, lower case).</summary>
    public static bool TryParseVerdict(string text, out Verdict verdict)
    {
        foreach (Verdict candidate in Enum.GetValues<Verdict>())
        {
            if (candidate.ToWireName() == text) { verdict = candidate; return true; }
        }
        verdict = default;
        return false;
    }
}
