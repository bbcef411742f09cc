using Mamori.Flows.Storage;

namespace Mamori.Flows.Tests;

/// <summary>The real factor store, with a gate in front of the reads a verification starts with: while it is closed, every
/// verification that gets as far as reading its factor waits there, so a test can start many at once and release them
/// together. Deterministic where parallel HTTP requests are not: no request can finish before the others have started.</summary>
internal sealed class GatedFactorStore(Func<IFactorStore> inner) : IFactorStore
{
    private TaskCompletionSource _gate = Open();
    private int _reads;

    /// <summary>Verifications that read their factor since the gate was closed (each one is checked after the gate opens).</summary>
    public int Reads => Volatile.Read(ref _reads);

    public void Close() { _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously); _reads = 0; }
    public void Release() => _gate.TrySetResult();

    private static TaskCompletionSource Open()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }

    /// <summary>Raised when a read starts waiting at the closed gate.</summary>
    public event Action? ReadHeld;

    private async Task PassAsync()
    {
        Task gate = _gate.Task;
        if (gate.IsCompleted) return;
        Interlocked.Increment(ref _reads);
        ReadHeld?.Invoke();
        await gate;
    }

    public async Task<IReadOnlyList<TotpFactorRecord>> GetTotpFactorsAsync(string account, CancellationToken ct)
    {
        await PassAsync();
        return await inner().GetTotpFactorsAsync(account, ct);
    }

    public async Task<IReadOnlyList<RecoveryCodeRecord>> GetUnusedRecoveryCodesAsync(string account, CancellationToken ct)
    {
        await PassAsync();
        return await inner().GetUnusedRecoveryCodesAsync(account, ct);
    }

    public async Task<OneTimeCodeRecord?> GetOneTimeCodeAsync(string id, CancellationToken ct)
    {
        await PassAsync();
        return await inner().GetOneTimeCodeAsync(id, ct);
    }

    public Task AddTotpAsync(TotpFactorRecord factor, CancellationToken ct) => inner().AddTotpAsync(factor, ct);
    public Task<bool> TryAdvanceTotpStepAsync(string factorId, long step, CancellationToken ct) => inner().TryAdvanceTotpStepAsync(factorId, step, ct);
    public Task<int?> TryConfirmTotpAsync(string factorId, long step, CancellationToken ct) => inner().TryConfirmTotpAsync(factorId, step, ct);
    public Task AddWebAuthnCredentialAsync(WebAuthnCredentialRecord credential, CancellationToken ct) => inner().AddWebAuthnCredentialAsync(credential, ct);
    public Task<IReadOnlyList<WebAuthnCredentialRecord>> GetWebAuthnCredentialsAsync(string account, CancellationToken ct) => inner().GetWebAuthnCredentialsAsync(account, ct);
    public Task<WebAuthnCredentialRecord?> FindWebAuthnCredentialAsync(byte[] credentialId, CancellationToken ct) => inner().FindWebAuthnCredentialAsync(credentialId, ct);
    public Task UpdateSignCountAsync(byte[] credentialId, uint signCount, CancellationToken ct) => inner().UpdateSignCountAsync(credentialId, signCount, ct);
    public Task ReplaceRecoveryCodesAsync(string account, IReadOnlyList<RecoveryCodeRecord> codes, CancellationToken ct) => inner().ReplaceRecoveryCodesAsync(account, codes, ct);
    public Task<bool> TryUseRecoveryCodeAsync(string codeId, DateTimeOffset at, CancellationToken ct) => inner().TryUseRecoveryCodeAsync(codeId, at, ct);
    public Task AddOneTimeCodeAsync(OneTimeCodeRecord code, CancellationToken ct) => inner().AddOneTimeCodeAsync(code, ct);
    public Task<bool> TryCountOneTimeCodeAttemptAsync(string id, int maxAttempts, CancellationToken ct) => inner().TryCountOneTimeCodeAttemptAsync(id, maxAttempts, ct);
    public Task<bool> TryUseOneTimeCodeAsync(string id, DateTimeOffset at, CancellationToken ct) => inner().TryUseOneTimeCodeAsync(id, at, ct);
}
