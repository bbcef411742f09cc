using System.Net;
using System.Text;

namespace Mamori.Simulation;

/// <summary>One source address with what an operator's IP database would say about it.</summary>
/// <remarks>Shared by every event from the same address, so formatting happens once per address, not per event.</remarks>
internal sealed class SimAddress
{
    public SimAddress(IPAddress address, SimNetwork network)
    {
        Address = address;
        Network = network;
        Utf8 = Encoding.ASCII.GetBytes(address.ToString());
    }

    public IPAddress Address { get; }
    public SimNetwork Network { get; }
    /// <summary>The address as written in the log, pre-formatted.</summary>
    public byte[] Utf8 { get; }
    public int Asn => Network.Asn;
    public string Country => Network.Country;
    public override string ToString() => Address.ToString();
}
