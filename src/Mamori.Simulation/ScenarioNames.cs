using System.Diagnostics;

namespace Mamori.Simulation;

/// <summary>What <c>mamori simulate</c> generates: legitimate traffic alone, with one attack, or with all.</summary>
public enum SimulationScenario
{
    /// <summary>Legitimate traffic only.</summary>
    Legit,
    /// <summary>Docomo-style: one 4-digit PIN tried across many account numbers from rotating IPs.</summary>
    ReverseBruteForce,
    /// <summary>Strontium-style: a few common passwords across thousands of accounts from many IPs.</summary>
    PasswordSpray,
    /// <summary>SBI-style: leaked identifier/password pairs from residential proxies; some reused, so some succeed.</summary>
    CredentialStuffing,
    /// <summary>Vertical brute force: one account, many secrets.</summary>
    BruteForce,
    /// <summary>Phished credentials used from a new device abroad; infrastructure reused across victims.</summary>
    Phished,
    /// <summary>A spray spread over days with about one attempt per source IP.</summary>
    LowSlowSpray,
    /// <summary>Legitimate traffic and every attack over the period.</summary>
    Mixed,
}

/// <summary>Wire names of scenarios (the <c>--scenario</c> values and the <c>scenario</c> field of attack events).</summary>
public static class ScenarioNames
{
    /// <summary>Every scenario, in the order <c>--help</c> lists them.</summary>
    public static readonly SimulationScenario[] All = Enum.GetValues<SimulationScenario>();

    /// <summary>The attack scenarios (what <see cref="SimulationScenario.Mixed"/> contains).</summary>
    public static readonly SimulationScenario[] Attacks =
    [
        SimulationScenario.ReverseBruteForce, SimulationScenario.PasswordSpray, SimulationScenario.CredentialStuffing,
        SimulationScenario.BruteForce, SimulationScenario.Phished, SimulationScenario.LowSlowSpray,
    ];

    /// <summary>The wire name of a scenario.</summary>
    public static string ToWireName(this SimulationScenario scenario) => scenario switch
    {
        SimulationScenario.Legit => "legit",
        SimulationScenario.ReverseBruteForce => "reverse-brute-force",
        SimulationScenario.PasswordSpray => "password-spray",
        SimulationScenario.CredentialStuffing => "credential-stuffing",
        SimulationScenario.BruteForce => "brute-force",
        SimulationScenario.Phished => "phished",
        SimulationScenario.LowSlowSpray => "low-slow-spray",
        SimulationScenario.Mixed => "mixed",
        _ => throw new UnreachableException($"SimulationScenario {scenario} has no wire name."),
    };

    /// <summary>Parses a wire name (exact, lower case).</summary>
    public static bool TryParse(string? text, out SimulationScenario scenario)
    {
        foreach (SimulationScenario candidate in All)
        {
            if (string.Equals(candidate.ToWireName(), text, StringComparison.Ordinal))
            {
                scenario = candidate;
                return true;
            }
        }
        scenario = default;
        return false;
    }
}

/// <summary>The <c>scenario</c> values of legitimate events: which behaviour of a real user produced them.</summary>
/// <remarks>Lets a scorer show which legitimate behaviours a policy challenges (typos, travel, a new phone...).</remarks>
public static class LegitKinds
{
    /// <summary>An ordinary login from the user's usual environment.</summary>
    public const string Normal = "normal";
    /// <summary>An ordinary login of a user whose real password is one attackers spray.</summary>
    public const string PopularPassword = "popular-password";
    /// <summary>One or two mistyped secrets, then success.</summary>
    public const string Typo = "typo";
    /// <summary>Several wrong secrets (some repeated), then success or a reset and success.</summary>
    public const string Forgotten = "forgotten";
    /// <summary>A mistyped account id (unknown account), then the right one.</summary>
    public const string WrongAccount = "wrong-account";
    /// <summary>A login while abroad.</summary>
    public const string Travel = "travel";
    /// <summary>The first logins from a newly bought phone (new device token and user agent).</summary>
    public const string NewPhone = "new-phone";
}
