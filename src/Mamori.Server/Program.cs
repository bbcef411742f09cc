// The server's own entry point: `mamori serve` calls the same builder, and WebApplicationFactory<Program> uses this.
var app = WebApplication.CreateBuilder(args).Build();
app.MapGet("/healthz", () => "ok");
await app.RunAsync();

/// <summary>Entry point type, public for <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
