using System.Diagnostics;

namespace Mamori.Breach;

/// <summary>Whether a breach corpus is available to answer.</summary>
public enum BreachIndexState : byte
{
    /// <summary>No index was imported (or it could not be opened): answers are "unknown", never "not breached".</summary>
    NotLoaded,

    /// <summary>An index is open and answering.</summary>
    Loaded,
}

/// <summary>State of one hash mode's index.</summary>
/// <param name="State">Loaded or not.</param>
/// <param name="Hashes">Distinct hashes in the index (0 when not loaded).</param>
/// <param name="ImportedAt">When the index was built, if loaded.</param>
/// <param name="Error">Why an index file that exists could not be opened, if it could not.</param>
public sealed record BreachCorpusStatus(BreachIndexState State, long Hashes, DateTimeOffset? ImportedAt, string? Error)
{
    internal static readonly BreachCorpusStatus NotLoaded = new(BreachIndexState.NotLoaded, 0, null, null);
}

/// <summary>What <c>/healthz</c> reports about breached-password checks.</summary>
/// <param name="State">Loaded when the SHA-1 index is loaded (the mode clients use by default).</param>
/// <param name="Sha1">The SHA-1 index.</param>
/// <param name="Ntlm">The NTLM index.</param>
public sealed record BreachIndexStatus(BreachIndexState State, BreachCorpusStatus Sha1, BreachCorpusStatus Ntlm);

/// <summary>Wire names of <see cref="BreachIndexState"/>.</summary>
public static class BreachIndexStateNames
{
    /// <summary>The name <c>/healthz</c> and API answers use. Public: monitors match on it; never rename one.</summary>
    public static string ToWireName(this BreachIndexState state) => state switch
    {
        BreachIndexState.NotLoaded => "not_loaded",
        BreachIndexState.Loaded => "loaded",
        _ => throw new UnreachableException($"BreachIndexState {state} has no wire name."),
    };
}

/// <summary>Outcome of checking one full hash in process (<see cref="BreachIndex.Check"/>).</summary>
public enum BreachCheckResult : byte
{
    /// <summary>No corpus is loaded for this mode: the password's status is unknown.</summary>
    NotLoaded,

    /// <summary>The corpus is loaded and the hash is not in it.</summary>
    NotBreached,

    /// <summary>The hash is in the corpus.</summary>
    Breached,
}
