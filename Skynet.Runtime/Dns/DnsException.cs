namespace Skynet.NameResolution;

/// <summary>A name could not be resolved: it does not exist, has no address of the asked family, is not a valid
/// name, or every server failed (<see cref="TimeoutException"/> is the cause when none answered in time).</summary>
public sealed class DnsException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    public DnsException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception around its cause.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public DnsException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
