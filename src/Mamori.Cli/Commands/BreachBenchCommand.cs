using System.Buffers;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using HdrHistogram;
using Mamori.Breach;
using Mamori.Breach.Http;
using Mamori.Breach.Import;
using Mamori.Breach.Index;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mamori.Cli.Commands;

/// <summary><c>mamori breach-bench</c> (hidden): the measurement behind docs/BENCHMARKS.md ("Breached passwords") — generate a corpus,
/// import it, query the range endpoint over loopback.</summary>
internal static class BreachBenchCommand
{
    public static Command Create()
    {
        var lines = new Option<long>("--lines") { Description = "Corpus lines to generate.", DefaultValueFactory = _ => 10_000_000 };
        var work = new Option<string>("--work") { Description = "Folder for the corpus and data folder (deleted afterwards).", DefaultValueFactory = _ => "/tmp/mamori-breach-bench" };
        var queries = new Option<int>("--queries") { Description = "Range queries to time.", DefaultValueFactory = _ => 20_000 };
        var memory = new Option<int>("--memory-mib") { Description = "Import memory limit.", DefaultValueFactory = _ => 512 };
        var keep = new Option<bool>("--keep") { Description = "Keep the generated corpus and index." };
        var command = new Command("breach-bench",
            "Benchmark: generate N random SHA-1 corpus lines (unsorted, heavy-tailed counts), import them, and time\n" +
            "range queries over loopback HTTP. Example: mamori breach-bench --lines 100000000 --work /tmp/bench")
        {
            lines, work, queries, memory, keep,
        };
        command.Hidden = true;
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(lines), parse.GetValue(work)!, parse.GetValue(queries),
            parse.GetValue(memory), parse.GetValue(keep), ct));
        return command;
    }

    private static async Task<int> RunAsync(long lineCount, string work, int queryCount, int memoryMiB, bool keep, CancellationToken ct)
    {
        Directory.CreateDirectory(work);
        string corpus = Path.Combine(work, "corpus.txt");
        string data = Path.Combine(work, "data");
        CultureInfo c = CultureInfo.InvariantCulture;
        try
        {
            var clock = Stopwatch.StartNew();
            long corpusBytes = Generate(corpus, lineCount);
            Console.WriteLine(string.Create(c, $"generated {lineCount:N0} lines, {corpusBytes:N0} bytes ({(double)corpusBytes / lineCount:F1} per line) in {clock.Elapsed.TotalSeconds:F1} s"));

            TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            BreachImportResult result = BreachImporter.Import(corpus, data, new BreachImportOptions { MemoryLimitMiB = memoryMiB }, cancellationToken: ct);
            double seconds = result.Elapsed.TotalSeconds;
            double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
            Console.WriteLine(string.Create(c, $"import: {result.LinesLoaded:N0} lines in {seconds:F1} s = {result.LinesRead / seconds:N0} lines/s, {result.RunsSpilled} runs, {cpu:F1} s CPU ({result.LinesRead / cpu:N0} lines per CPU-second)"));
            Console.WriteLine(string.Create(c, $"index: {result.IndexBytes:N0} bytes = {(double)result.IndexBytes / result.HashesStored:F2} bytes per hash (text corpus {(double)corpusBytes / lineCount:F1})"));
            if (!keep) File.Delete(corpus);

            InProcessQueries(result.IndexPath, queryCount * 5);
            await QueryAsync(data, queryCount, padded: false, ct);
            await QueryAsync(data, queryCount, padded: true, ct);
            return 0;
        }
        finally
        {
            if (!keep && Directory.Exists(work)) Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Random SHA-1 lines from a fixed seed; counts heavy-tailed like the public corpus.</summary>
    private static long Generate(string path, long lineCount)
    {
        var random = new Random(20200914);
        byte[] hash = new byte[20];
        byte[] line = new byte[64];
        ReadOnlySpan<byte> hex = "0123456789ABCDEF"u8;
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 4 << 20);
        for (long n = 0; n < lineCount; n++)
        {
            random.NextBytes(hash);
            for (int i = 0; i < 20; i++)
            {
                line[2 * i] = hex[hash[i] >> 4];
                line[2 * i + 1] = hex[hash[i] & 0x0F];
            }
            line[40] = (byte)':';
            uint count = (uint)Math.Min(uint.MaxValue, Math.Floor(1 / Math.Pow(1 - random.NextDouble(), 1.25)));
            count.TryFormat(line.AsSpan(41), out int digits, default, CultureInfo.InvariantCulture);
            line[41 + digits] = (byte)'\r';
            line[42 + digits] = (byte)'\n';
            stream.Write(line, 0, 43 + digits);
        }
        return stream.Length;
    }

    /// <summary>The index lookup alone (bucket read and formatting), without HTTP.</summary>
    private static void InProcessQueries(string indexPath, int queryCount)
    {
        using PwnedIndexReader reader = PwnedIndexReader.Open(indexPath);
        var random = new Random(11);
        var body = new ArrayBufferWriter<byte>(64 * 1024);
        for (int i = 0; i < 10_000; i++)
        {
            body.ResetWrittenCount();
            reader.WriteRange(random.Next(1 << 20), body);
        }
        var histogram = new LongHistogram(TimeStamp.Seconds(10), 3);
        for (int i = 0; i < queryCount; i++)
        {
            body.ResetWrittenCount();
            long start = Stopwatch.GetTimestamp();
            reader.WriteRange(random.Next(1 << 20), body);
            histogram.RecordValue(Stopwatch.GetTimestamp() - start);
        }
        double ms(double percentile) => histogram.GetValueAtPercentile(percentile) * 1000.0 / Stopwatch.Frequency;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"range in process (no HTTP): {queryCount:N0} queries, p50 {ms(50):F3} ms, p99 {ms(99):F3} ms, p99.9 {ms(99.9):F3} ms"));
    }

    private static async Task QueryAsync(string data, int queryCount, bool padded, CancellationToken ct)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddBreachIndex(data);
        await using WebApplication app = builder.Build();
        app.MapPwnedPasswordsRange();
        await app.StartAsync(ct);
        string baseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var client = new HttpClient { BaseAddress = new Uri(baseUrl) };
        if (padded) client.DefaultRequestHeaders.Add("Add-Padding", "true");

        var random = new Random(7);
        for (int i = 0; i < 2_000; i++) await GetAsync(client, random, ct);   // warm-up: JIT, connections, page cache
        var histogram = new LongHistogram(TimeStamp.Seconds(10), 3);
        long bytes = 0;
        for (int i = 0; i < queryCount; i++)
        {
            long start = Stopwatch.GetTimestamp();
            bytes += await GetAsync(client, random, ct);
            histogram.RecordValue(Stopwatch.GetTimestamp() - start);
        }
        double ms(double percentile) => histogram.GetValueAtPercentile(percentile) * 1000.0 / Stopwatch.Frequency;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"range{(padded ? " (Add-Padding)" : "")}: {queryCount:N0} sequential queries over loopback, p50 {ms(50):F3} ms, p99 {ms(99):F3} ms, p99.9 {ms(99.9):F3} ms, max {ms(100):F3} ms, mean body {bytes / queryCount:N0} bytes"));
        await app.StopAsync(ct);
    }

    private static async Task<long> GetAsync(HttpClient client, Random random, CancellationToken ct)
    {
        using HttpResponseMessage response = await client.GetAsync($"/range/{random.Next(1 << 20):X5}", ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadAsByteArrayAsync(ct)).Length;
    }
}
