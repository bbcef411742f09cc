using Mamori.Server.Hosting;

// The server's own entry point. `mamori serve` calls the same MamoriServerHost, and WebApplicationFactory<Program>
// starts this one in tests.
WebApplication app = MamoriServerHost.Build(MamoriServerHost.CreateBuilder(args));
await app.RunAsync();

/// <summary>Entry point type, public for <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
