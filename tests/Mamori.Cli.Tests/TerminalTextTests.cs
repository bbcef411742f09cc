namespace Mamori.Cli.Tests;

public sealed class TerminalTextTests
{
    [Theory]
    [InlineData("user45", "user45")]
    [InlineData("山田太郎", "山田太郎")]
    [InlineData("\u001b[31mEVIL\u001b[0m\r\u001b[2K", @"\u001B[31mEVIL\u001B[0m\u000D\u001B[2K")]
    [InlineData("a\tb\nc\u007f\u0085", @"a\u0009b\u000Ac\u007F\u0085")]          // C0, DEL and C1 controls
    [InlineData("x\u2028y\u2029z", @"x\u2028y\u2029z")]                           // line and paragraph separators
    [InlineData("\u202egnp.exe\u2066\u2069", @"\u202Egnp.exe\u2066\u2069")]        // bidi override and isolates
    public void ControlAndDirectionCharacters_AreWrittenAsVisibleEscapes(string text, string shown) =>
        Assert.Equal(shown, TerminalText.Safe(text));

    [Fact]
    public void SafeLines_KeepsTheLineBreaks_AndEscapesWithinEachLine() =>
        Assert.Equal("a\\u001B[2K\nb\r\nc", TerminalText.SafeLines("a\u001b[2K\nb\r\nc"));
}
