namespace Skynet;

/// <summary>A new service failed in <see cref="Service.OnStart"/> or could not be created. The service is gone.</summary>
public sealed class ServiceStartException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ServiceStartException(string serviceName, Address address, string reason, Exception? inner = null)
        : base($"Service '{serviceName}' ({address}) failed to start: {reason}", inner)
    {
        ServiceName = serviceName;
        Address = address;
    }

    internal ServiceStartException(string serviceName, Address address, string reason, bool exitedDuringStart)
        : this(serviceName, address, reason) => ExitedDuringStart = exitedDuringStart;

    /// <summary>
    /// True when the service ran its start to the end and called <c>Exit()</c> in it (skynet's <c>newservice</c>
    /// returns nil then). A bootstrap service such as skynet's <c>main.lua</c> does this on purpose; its launcher
    /// ignores the failure, as skynet's bootstrap does with <c>pcall(skynet.newservice, "main")</c>.
    /// </summary>
    public bool ExitedDuringStart { get; }

    /// <summary>The registered name or type name of the service.</summary>
    public string ServiceName { get; }

    /// <summary>The address the service had while it started (no longer valid).</summary>
    public Address Address { get; }
}
