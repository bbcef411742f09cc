using System.Globalization;
using System.Text;
using Mamori.Cli.Replay.Readers;

namespace Mamori.Cli.Tests.Readers;

/// <summary>
/// The JSONL reader's fast path for flat lines against <see cref="System.Text.Json.Utf8JsonReader"/>: whatever the
/// line, valid or not, both readers give the same row, the same error included.
/// </summary>
public sealed class JsonlFlatLineTests
{
    private const string Full =
        """{"ts":"2020-09-06T15:00:00.037Z","account":"2727678","ip":"106.129.63.169","outcome":"success","user_agent":"Mozilla/5.0 (Linux; Android 13; A302SH)","device":"dv_4f4d","secret_fp":"a33037029ea5001d","asn":2516,"country":"JP","tenant":"t1","step_up":true,"label":"legit","scenario":"normal","takeover":false}""";

    private const string Numbers =
        """{ "ts" : 1599404400 , "account" : 2727678, "ip":"::1", "outcome":false, "asn":-0, "device":null, "extra":"x", "n":12 }""";

    // Lines a hand-written scanner gets wrong, each valid or not in its own way.
    private static readonly string[] s_edgeCases =
    [
        Full,
        Numbers,
        "{}",
        "{ }",
        "{,}",
        """{"ts":"2020-09-06T15:00:00Z",}""",
        """{"ts":"2020-09-06T15:00:00Z" "account":"a"}""",
        """{"ts":"2020-09-06T15:00:00Z","account":"a","ip":"1.2.3.4","outcome":"success"}x""",
        """{"ts":"2020-09-06T15:00:00Z","account":"a","ip":"1.2.3.4","outcome":"success"}}""",
        """{"ts":"2020-09-06T15:00:00Z","account":"a","ip":"1.2.3.4","outcome":"success"}{}""",
        """{"account":01,"ts":"2020-09-06T15:00:00Z","ip":"1.2.3.4","outcome":"success"}""",
        """{"account":-,"ts":"2020-09-06T15:00:00Z","ip":"1.2.3.4","outcome":"success"}""",
        """{"account":1.5,"ts":"2020-09-06T15:00:00Z","ip":"1.2.3.4","outcome":"success"}""",
        """{"account":1e3,"ts":"2020-09-06T15:00:00Z","ip":"1.2.3.4","outcome":"success"}""",
        """{"asn":99999999999999999999,"account":"a","ts":"2020-09-06T15:00:00Z","ip":"1.2.3.4","outcome":"success"}""",
        """{"asn":9223372036854775807,"account":"a","ts":"2020-09-06T15:00:00Z","ip":"1.2.3.4","outcome":"success"}""",
        """{"asn":-5,"account":"a","ts":"2020-09-06T15:00:00Z","ip":"1.2.3.4","outcome":"success"}""",
        """{"asn":true,"account":"a","ts":"2020-09-06T15:00:00Z","ip":"1.2.3.4","outcome":"success"}""",
        """{"country":12,"account":"a","ts":"2020-09-06T15:00:00Z","ip":"1.2.3.4","outcome":"success"}""",
        """{"takeover":"yes","account":"a","ts":"2020-09-06T15:00:00Z","ip":"1.2.3.4","outcome":"success"}""",
        """{"takeover":tru,"account":"a","ts":"2020-09-06T15:00:00Z","ip":"1.2.3.4","outcome":"success"}""",
        """{"takeover":truex,"account":"a","ts":"2020-09-06T15:00:00Z","ip":"1.2.3.4","outcome":"success"}""",
        """{"takeover":nul,"account":"a","ts":"2020-09-06T15:00:00Z","ip":"1.2.3.4","outcome":"success"}""",
        """{"account":"a\"b","ts":"2020-09-06T15:00:00Z","ip":"1.2.3.4","outcome":"success"}""",
        """{"account":"a\u0062","ts":"2020-09-06T15:00:00Z","ip":"1.2.3.4","outcome":"success"}""",
        """{"account":"äöü","ts":"2020-09-06T15:00:00Z","ip":"1.2.3.4","outcome":"success"}""",
        "{\"account\":\"a\u0001b\",\"ts\":\"2020-09-06T15:00:00Z\",\"ip\":\"1.2.3.4\",\"outcome\":\"success\"}",
        "{\"account\":\"a\u007Fb\",\"ts\":\"2020-09-06T15:00:00Z\",\"ip\":\"1.2.3.4\",\"outcome\":\"success\"}",
        "{\"account\":\"a\tb\",\"ts\":\"2020-09-06T15:00:00Z\",\"ip\":\"1.2.3.4\",\"outcome\":\"success\"}",
        """{"account":"a","ts":"2020-09-06T15:00:00Z","ip":"1.2.3.4","outcome":"success","account":"b"}""",
        """{"account":"a","ts":"2020-09-06T15:00:00Z","ip":"1.2.3.4","outcome":"success","x":{"y":[1,2]}}""",
        """{"account":"a","ts":"2020-09-06T15:00:00Z","ip":"1.2.3.4","outcome":"success","x":[]}""",
        """{"account":"a","ts":"2020-09-06T15:00:00Z","ip":"1.2.3.4","outcome":"success","x":"unterminated}""",
        """{"account":"a","ts":"2020-09-06T15:00:00Z","ip":"1.2.3.4","outcome":"success",""",
        """{"account":"a","ts":"2020-09-06T15:00:00Z","ip":"1.2.3.4","outcome":"success","x":""",
        """{"account":"a","ts":"2020-09-06T15:00:00Z","ip":"1.2.3.4","outcome":"success","x"}""",
        """{"account":"a","ts":"2020-09-06T15:00:00Z","ip":"1.2.3.4","outcome":"success","x":}""",
        """{"account":"a","ts":"2020-09-06T15:00:00Z","ip":"1.2.3.4","outcome":"success" /* note */}""",
        """{"ACCOUNT":"a","Ts":"2020-09-06T15:00:00Z","IP":"1.2.3.4","outcome":"success"}""",
        """{"":"a","ts":"2020-09-06T15:00:00Z","ip":"1.2.3.4","outcome":"success"}""",
        """{account:"a","ts":"2020-09-06T15:00:00Z","ip":"1.2.3.4","outcome":"success"}""",
        """{'account':'a','ts':'2020-09-06T15:00:00Z','ip':'1.2.3.4','outcome':'success'}""",
        """["account","a"]""",
        "\"account\"",
        "12",
        "null",
        "{\"account\":\"a\",\r\"ts\":\"2020-09-06T15:00:00Z\",\t\"ip\":\"1.2.3.4\",\"outcome\":\"success\"}",
    ];

    [Fact]
    public void EdgeCases_ReadAsTheGeneralReaderReadsThem()
    {
        AssertSameRows(string.Join("\n", s_edgeCases), out long flat);
        // The fast path took the plain lines (so this test compares something), and left the others.
        Assert.InRange(flat, 10, s_edgeCases.Length - 20);
    }

    [Fact]
    public void MutatedLines_ReadAsTheGeneralReaderReadsThem()
    {
        // Bytes deleted, inserted, replaced and repeated at random in valid lines: most results are malformed, some are
        // valid JSON of another shape, and each must come out of both readers as the same row.
        const string Alphabet = "{}[]\":,\\ \t-+.0123456789eEtrufalsnxA_é\u0001";
        string[] seeds = [Full, Numbers, """{"ts":"2020-09-06T15:00:00Z","account":"a","ip":"1.2.3.4","outcome":"success","asn":17676}"""];
        var random = new Random(20261205);
        var lines = new List<string>();
        for (int n = 0; n < 6000; n++)
        {
            var line = new StringBuilder(seeds[random.Next(seeds.Length)]);
            for (int edits = random.Next(1, 4); edits > 0 && line.Length > 1; edits--)
            {
                int at = random.Next(line.Length);
                switch (random.Next(4))
                {
                    case 0: line.Remove(at, 1); break;
                    case 1: line.Insert(at, Alphabet[random.Next(Alphabet.Length)]); break;
                    case 2: line[at] = Alphabet[random.Next(Alphabet.Length)]; break;
                    default:
                        int length = random.Next(1, Math.Min(12, line.Length - at) + 1);
                        line.Insert(at, line.ToString(at, length));
                        break;
                }
            }
            lines.Add(line.ToString().Replace("\n", "", StringComparison.Ordinal));
        }
        List<ReadResult> rows = AssertSameRows(string.Join("\n", lines), out long flat);
        // Both kinds were compared: rows the fast path read whole, and rows it declined.
        Assert.InRange(flat, 500, lines.Count - 500);
        Assert.InRange(rows.Count(r => r.IsValid), 200, lines.Count - 200);
    }

    [Fact]
    public void PlainLines_TakeTheFastPath_OthersTheGeneralReader()
    {
        Assert.Equal(1, FlatLinesIn(Full));
        Assert.Equal(1, FlatLinesIn(Numbers));   // blanks between tokens, as Python's json.dumps writes them
        Assert.Equal(0, FlatLinesIn(Full.Replace("\"a33037029ea5001d\"", "\"a33037029ea5001\\u0064\"", StringComparison.Ordinal)));
        Assert.Equal(0, FlatLinesIn(Full.Replace("\"JP\"", "\"日本\"", StringComparison.Ordinal)));
        Assert.Equal(0, FlatLinesIn(Full.Replace("2516", "2516.0", StringComparison.Ordinal)));
        Assert.Equal(0, FlatLinesIn(Full.Replace("\"tenant\":\"t1\"", "\"tenant\":\"t1\",\"extra\":{\"a\":1}", StringComparison.Ordinal)));
        // A type the field does not take is worded by the general reader.
        Assert.Equal(0, FlatLinesIn(Full.Replace("\"JP\"", "12", StringComparison.Ordinal)));

        static long FlatLinesIn(string line)
        {
            using var reader = new JsonlLoginEventReader(new MemoryStream(Encoding.UTF8.GetBytes(line)));
            Assert.True(reader.TryRead(out _));
            return reader.FlatLines;
        }
    }

    /// <summary>Reads <paramref name="text"/> with and without the fast path and asserts the rows are the same.</summary>
    private static List<ReadResult> AssertSameRows(string text, out long flatLines)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        using var fast = new JsonlLoginEventReader(new MemoryStream(bytes));
        using var general = new JsonlLoginEventReader(new MemoryStream(bytes)) { ReadsFlatLines = false };
        List<ReadResult> expected = general.ReadAll().ToList();
        List<ReadResult> actual = fast.ReadAll().ToList();
        Assert.Equal(expected.Select(Describe), actual.Select(Describe));
        Assert.Equal(0, general.FlatLines);
        flatLines = fast.FlatLines;
        return actual;
    }

    private static string Describe(ReadResult r)
    {
        if (!r.IsValid) return string.Create(CultureInfo.InvariantCulture, $"{r.Line} bad: {r.Error}");
        Events.LoginAttempt a = r.Event.Attempt;
        return string.Create(CultureInfo.InvariantCulture,
            $"{r.Line} {a.Timestamp:O} {a.Account} {a.Ip} {r.Event.Outcome} {a.UserAgent} {a.Device} {a.Secret?.Value:x16} {a.Asn} {a.Country} {a.Tenant} {r.Truth} {r.StepUpPassed}");
    }
}
