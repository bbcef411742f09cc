namespace Mamori.State.Redis;

/// <summary>The networked signal store did not answer in time or is unreachable. The engine turns this into its
/// fail mode (reason <c>signal_store_unavailable</c>).</summary>
public sealed class SignalStoreUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SignalStoreUnavailableException() : base("The signal store is unavailable.") { }

    /// <summary>Creates the exception with a message.</summary>
    public SignalStoreUnavailableException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public SignalStoreUnavailableException(string message, Exception innerException) : base(message, innerException) { }
}
