namespace Mamori.Simulation;

/// <summary>The secrets real users pick too often and attackers therefore try first.</summary>
/// <remarks>
/// Order follows public top-password lists (NordPass, SplashData, HIBP counts) with 4-digit PINs mixed in,
/// since the simulated service accepts both (a bank login with a PIN, a wallet with a password).
/// </remarks>
internal static class PopularSecrets
{
    /// <summary>Most popular first.</summary>
    public static readonly string[] Ranked =
    [
        "123456", "1234", "password", "123456789", "12345678", "0000", "111111", "qwerty", "1111", "abc123",
        "password1", "1234567", "12345", "1212", "7777", "000000", "iloveyou", "123123", "1qaz2wsx", "Password1",
        "5555", "dragon", "6969", "baseball", "aaaaaa", "2580", "monkey", "letmein", "696969", "sakura",
    ];

    /// <summary>Share of real users whose secret is one of <see cref="Ranked"/>.</summary>
    /// <remarks>Public breach analyses put the top few dozen passwords at 2–5% of accounts.</remarks>
    public const double UserShare = 0.04;

    /// <summary>The common 4-digit PINs a reverse brute force tries first (Docomo case).</summary>
    public static readonly string[] Pins = ["1234", "0000", "1111", "1212", "7777"];

    /// <summary>Share of real users whose secret is a weak dictionary word outside the top list (rank 30–400 of a leak list).</summary>
    /// <remarks>Cracked by a vertical brute force after tens to hundreds of guesses, which per-account lockout does stop.</remarks>
    public const double DictionaryShare = 0.01;

    /// <summary>Where the dictionary ranks used by <see cref="DictionaryShare"/> users start and end.</summary>
    public const int DictionaryFirstRank = 30, DictionaryLastRank = 400;

    /// <summary>The fingerprint of a password from a leak list, by rank: the popular list first, then a long tail.</summary>
    public static Mamori.Events.SecretFingerprint Leaked(int rank) => rank < Ranked.Length
        ? SecretFingerprints.Of(Ranked[rank])
        : SecretFingerprints.Of(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"leaked-password-{rank}"));

    /// <summary>A popular secret by Zipf rank (s = 1): "123456" about twice as likely as "1234".</summary>
    public static string PickZipf(Random random) => Ranked[Distributions.Zipf(random, Ranked.Length, 1.0)];
}
