using System.Text;
using Mamori.Cli.Replay.Readers;

namespace Mamori.Cli.Tests.Readers;

internal static class ReaderTestHelpers
{
    public static List<ReadResult> ReadAll(string text, LoginLogFormat format, CsvColumnMap? map = null)
    {
        using ILoginEventReader reader = LoginEventReaders.Open(new MemoryStream(Encoding.UTF8.GetBytes(text)), format, map);
        return reader.ReadAll().ToList();
    }
}
