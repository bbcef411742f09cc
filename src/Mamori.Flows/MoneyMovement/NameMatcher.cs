using System.Globalization;
using System.Text;

namespace Mamori.Flows.MoneyMovement;

/// <summary>Compares a bank account's holder name with an identity-proofed name after normalisation.</summary>
/// <remarks>
/// Japanese banks return holder names in half-width katakana (ﾔﾏﾀﾞ ﾀﾛｳ), eKYC returns full-width kana or kanji,
/// users type hiragana: NFKC folds full/half width (and half-width kana to full-width), katakana folds to hiragana,
/// spaces (including U+3000) and case are dropped. A match is evidence, never sufficient alone: the SBI attackers
/// opened same-name accounts with forged IDs, so every flow also needs a step-up and a hold.
/// </remarks>
public static class NameMatcher
{
    /// <summary>The normalised form of a name.</summary>
    public static string Normalise(string name)
    {
        string folded = name.Normalize(NormalizationForm.FormKC);
        var builder = new StringBuilder(folded.Length);
        foreach (char c in folded)
        {
            if (char.IsWhiteSpace(c) || c is '・' or '･') continue;
            // Katakana ァ (U+30A1) … ヶ (U+30F6) sit 0x60 above their hiragana; ヽヾ (U+30FD-E) above ゝゞ too.
            char k = c is (>= '\u30A1' and <= '\u30F6') or '\u30FD' or '\u30FE' ? (char)(c - 0x60) : c;
            builder.Append(char.ToLowerInvariant(k));
        }
        return builder.ToString();
    }

    /// <summary>True when both names are equal after <see cref="Normalise"/> (and not empty).</summary>
    public static bool Matches(string a, string b)
    {
        string x = Normalise(a), y = Normalise(b);
        return x.Length > 0 && string.Equals(x, y, StringComparison.Ordinal);
    }
}
