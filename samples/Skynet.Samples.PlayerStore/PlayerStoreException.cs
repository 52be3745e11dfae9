namespace Skynet.Samples.PlayerStore;

/// <summary>The database could not be reached or refused the statement; the message says which and why.</summary>
public sealed class PlayerStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The database driver's error.</param>
    public PlayerStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
