using System.Globalization;
using System.Text;
using Mamori.Cli.Replay;
using Mamori.Cli.Replay.Readers;

namespace Mamori.Cli.Tests.Replay;

/// <summary>A JSONL login log written line by line in a test, then replayed in memory as <c>mamori replay</c> does.</summary>
internal sealed class ReplayLog
{
    public const string Phone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";
    public const string Desktop = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";

    /// <summary>Thirty customers (u0–u29), each with three days of logins from their phone at their own home address
    /// (198.51.100.1–30, AS64500) from <paramref name="start"/>.</summary>
    public static ReplayLog Customers(DateTimeOffset start)
    {
        var log = new ReplayLog();
        for (int day = 0; day < 3; day++)
            for (int u = 0; u < 30; u++)
                log.Add(start.AddDays(day).AddMinutes(20 * u), $"u{u}", $"198.51.100.{u + 1}", "success", $"phone-{u}", 64500, Phone);
        return log;
    }

    private readonly StringBuilder _text = new();
    public int Lines { get; private set; }

    /// <summary>Appends one event (country JP); returns its line number.</summary>
    public int Add(DateTimeOffset at, string account, string ip, string outcome, string? device, int asn, string agent)
    {
        _text.Append(CultureInfo.InvariantCulture,
            $"{{\"ts\":\"{at:yyyy-MM-ddTHH:mm:ssZ}\",\"account\":\"{account}\",\"ip\":\"{ip}\",\"outcome\":\"{outcome}\",\"user_agent\":\"{agent}\",\"asn\":{asn},\"country\":\"JP\"");
        if (device is not null) _text.Append(CultureInfo.InvariantCulture, $",\"device\":\"{device}\"");
        _text.Append("}\n");
        return ++Lines;
    }

    /// <summary>The decision on each line (1-based; index 0 unused), from the decisions file.</summary>
    public string[] Decisions { get; private set; } = [];

    public ReplayResult Replay(MamoriOptions? options = null)
    {
        using ILoginEventReader reader = LoginEventReaders.Open(new MemoryStream(Encoding.UTF8.GetBytes(_text.ToString())), LoginLogFormat.Jsonl);
        var decisions = new StringWriter(CultureInfo.InvariantCulture);
        ReplayResult result = ReplayRunner.Run(reader, decisions, options ?? new MamoriOptions(), strict: false);
        Decisions = ["", .. decisions.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(row => row.Split(',')[1])];
        return result;
    }
}
