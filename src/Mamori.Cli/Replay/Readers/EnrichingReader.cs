using Mamori.Server.Geo;

namespace Mamori.Cli.Replay.Readers;

/// <summary>Gives each valid row the ASN and country its log lacked, from the operator's IP-geo databases (on the parsing thread).</summary>
internal sealed class EnrichingReader(ILoginEventReader inner, IpGeoDatabase geo) : ILoginEventReader
{
    public bool TryRead(out ReadResult result)
    {
        if (!inner.TryRead(out result)) return false;
        if (result.IsValid)
        {
            Mamori.Events.LoginAttempt attempt = geo.Enrich(result.Event.Attempt);
            if (!ReferenceEquals(attempt, result.Event.Attempt)) result = result with { Event = result.Event with { Attempt = attempt } };
        }
        return true;
    }

    public void Dispose()
    {
        inner.Dispose();
        geo.Dispose();
    }
}
