namespace Skynet.Hotfix;

/// <summary>A patch could not be applied or rolled back: it does not fit the service, or its <c>Hotfix</c> method threw. Nothing changed.</summary>
public sealed class HotfixException : Exception
{
    /// <summary>Creates the failure.</summary>
    public HotfixException(string message, Exception? inner = null) : base(message, inner) { }
}
