using System.ComponentModel.DataAnnotations;

namespace Mamori.Dashboard;

/// <summary>Bounds of the dashboard's in-memory decision feed.</summary>
public sealed class DecisionFeedOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Mamori:Dashboard";

    /// <summary>Recent decisions kept for <c>/v1/decisions/recent</c> and campaign timelines.</summary>
    /// <remarks>Memory is about 300 bytes per item: the default holds roughly 3 MB. More history belongs in storage, not here.</remarks>
    /// <value>The default is 10,000.</value>
    [Range(100, 1_000_000)] public int Capacity { get; set; } = 10_000;

    /// <summary>Live-stream subscribers served at once.</summary>
    /// <remarks>Each holds a buffer and a connection; an admin key leaking into a script that opens streams in a loop must not exhaust memory.</remarks>
    /// <value>The default is 32.</value>
    [Range(1, 1_000)] public int MaxSubscribers { get; set; } = 32;

    /// <summary>Items buffered per subscriber before the oldest are dropped for it.</summary>
    /// <remarks>A slow browser loses old lines rather than slowing the server that publishes them.</remarks>
    /// <value>The default is 512.</value>
    [Range(16, 100_000)] public int SubscriberBuffer { get; set; } = 512;

    /// <summary>Throws when a value is out of range, naming every bad setting at once.</summary>
    internal void Validate()
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true))
            throw new ArgumentException(Section + ": " + string.Join(" ", results.Select(r => r.ErrorMessage)));
    }
}
