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

    /// <summary>The registered name or type name of the service.</summary>
    public string ServiceName { get; }

    /// <summary>The address the service had while it started (no longer valid).</summary>
    public Address Address { get; }
}
