using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

/// <summary>Benchmark entry point: <c>dotnet run -c Release --project benchmarks/Mamori.Benchmarks -- --filter '*'</c>.</summary>
public partial class Program;
