using System.Net;
using System.Net.Sockets;
using Garnet;

namespace Mamori.State.Tests.Support;

/// <summary>An in-process Garnet server on a free loopback port, so the Redis store's tests run without Redis.</summary>
public sealed class GarnetFixture : IDisposable
{
    private GarnetServer? _server;

    public GarnetFixture()
    {
        Port = FreePort();
        Start();
    }

    public int Port { get; }

    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>Starts (or restarts) the server on the same port; its data starts empty.</summary>
    public void Start()
    {
        _server?.Dispose();
        _server = new GarnetServer(["--bind", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--lua", "true"]);
        _server.Start();
    }

    /// <summary>Stops the server (clients see their connection drop).</summary>
    public void Stop()
    {
        _server?.Dispose();
        _server = null;
    }

    public void Dispose() => Stop();

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
