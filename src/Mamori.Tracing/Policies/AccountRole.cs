namespace Mamori.Tracing.Policies;

/// <summary>What an account is to the trace.</summary>
internal enum AccountRole : byte
{
    /// <summary>Any other account: holds, mixes and passes on value.</summary>
    Ordinary,
    /// <summary>A thief's address: from the theft time on, everything it holds or receives is stolen.</summary>
    Source,
    /// <summary>An exchange deposit address: taint arriving here is a finding and goes no further.</summary>
    /// <remarks>Exchanges pool customer funds; tracing through the hot wallet would taint every customer.</remarks>
    Exchange,
}

/// <summary>Dense role per account id; ids not set are <see cref="AccountRole.Ordinary"/>.</summary>
internal sealed class AccountRoles
{
    private AccountRole[] _roles = new AccountRole[1024];

    /// <summary>The role of an account.</summary>
    public AccountRole this[int account] => account < _roles.Length ? _roles[account] : AccountRole.Ordinary;

    /// <summary>Sets the role of an account.</summary>
    public void Set(int account, AccountRole role)
    {
        if (account >= _roles.Length) Array.Resize(ref _roles, Math.Max(account + 1, _roles.Length * 2));
        _roles[account] = role;
    }
}
