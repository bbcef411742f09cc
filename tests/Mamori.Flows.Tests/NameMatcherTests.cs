using Mamori.Flows.MoneyMovement;

namespace Mamori.Flows.Tests;

public sealed class NameMatcherTests
{
    [Theory]
    [InlineData("ﾔﾏﾀﾞ ﾀﾛｳ", "やまだ たろう")]          // half-width katakana (bank) vs hiragana
    [InlineData("ヤマダ　タロウ", "ﾔﾏﾀﾞﾀﾛｳ")]          // ideographic space, full-width vs half-width katakana
    [InlineData("ＹＡＭＡＤＡ Ｔａｒｏ", "yamada taro")]  // full-width Latin, case
    [InlineData("Yamada  Taro", "YAMADATARO")]
    public void SameNameWrittenDifferently_Matches(string a, string b) => Assert.True(NameMatcher.Matches(a, b));

    [Theory]
    [InlineData("ﾔﾏﾀﾞ ﾀﾛｳ", "やまだ じろう")]
    [InlineData("ヤマダ タロウ", "ヤマタ タロウ")]   // dakuten matters
    [InlineData("   ", "")]
    public void DifferentNames_DoNotMatch(string a, string b) => Assert.False(NameMatcher.Matches(a, b));
}
