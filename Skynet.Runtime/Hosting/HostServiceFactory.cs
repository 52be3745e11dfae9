using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace Skynet.Hosting;

/// <summary>
/// Builds services from the host's <see cref="IServiceProvider"/> (<see cref="SkynetOptions.ServiceFactory"/> under
/// <c>AddSkynet</c>): constructor parameters come from the container, each service instance gets its own scope,
/// and the scope is disposed when the service is gone, as a request's scope is in ASP.NET Core.
/// </summary>
internal sealed class HostServiceFactory(IServiceProvider provider)
{
    readonly ConcurrentDictionary<Service, AsyncServiceScope> _scopes = new(ReferenceEqualityComparer.Instance);

    public Service Create(Type type)
    {
        var scope = provider.CreateAsyncScope();
        Service service;
        try
        {
            service = (Service)ActivatorUtilities.CreateInstance(scope.ServiceProvider, type);
        }
        catch (InvalidOperationException ex)
        {
            var reason = DescribeMissing(scope.ServiceProvider, type) ?? $"{type.Name} cannot be created from the host's services: {ex.Message}";
            scope.Dispose();
            throw new InvalidOperationException(reason, ex);
        }
        catch
        {
            scope.Dispose();
            throw;
        }
        _scopes[service] = scope;
        _ = DisposeScopeWhenGone(service);
        return service;
    }

    async Task DisposeScopeWhenGone(Service service)
    {
        await service.Exited.ConfigureAwait(false);
        if (_scopes.TryRemove(service, out var scope)) await scope.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Disposes the scopes of services that were created but never ran (their start was refused).</summary>
    public async Task DisposeLeftoversAsync()
    {
        foreach (var service in _scopes.Keys)
            if (_scopes.TryRemove(service, out var scope)) await scope.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Names the constructor parameters the container cannot provide, for the constructor with the most parameters.</summary>
    static string? DescribeMissing(IServiceProvider services, Type type)
    {
        if (services.GetService<IServiceProviderIsService>() is not { } isService) return null;
        var constructor = type.GetConstructors().OrderByDescending(static c => c.GetParameters().Length).FirstOrDefault();
        if (constructor is null) return $"{type.Name} has no public constructor.";
        var missing = constructor.GetParameters().Where(p => !p.HasDefaultValue && !isService.IsService(p.ParameterType)).ToList();
        if (missing.Count == 0) return null;
        var list = string.Join(", ", missing.Select(static p => $"{Display(p.ParameterType)} (parameter '{p.Name}')"));
        return $"{type.Name} needs {list}, which the host's services do not provide. Register {(missing.Count == 1 ? "it" : "them")} " +
            $"with builder.Services before the host is built (for example builder.Services.AddSingleton<{Display(missing[0].ParameterType)}>(...)).";
    }

    static string Display(Type type) =>
        type.IsGenericType
            ? $"{type.Name[..type.Name.IndexOf('`')]}<{string.Join(", ", type.GetGenericArguments().Select(Display))}>"
            : type.Name;
}
