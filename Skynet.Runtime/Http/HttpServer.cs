using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Skynet.Http;

/// <summary>
/// An HTTP endpoint hosted in the node (Kestrel): each request is routed by path to a service as the
/// <see cref="PType.Lua"/> call <c>"http", <see cref="HttpRequestData"/></c>, and the service's reply becomes the
/// response — skynet's <c>examples/simpleweb.lua</c> (a listener handing each connection to an agent that runs
/// <c>httpd.read_request</c> and <c>httpd.write_response</c>), with Kestrel doing the HTTP.
/// </summary>
/// <remarks>
/// Commands (<see cref="PType.Lua"/>): <c>"open", HttpServerOptions</c> (replies with the bound port) and
/// <c>"close"</c>. Kestrel's threads only wait on the call's task, never on a skynet worker. Status codes the server
/// gives by itself: 404 (no route), 413 (body too large), 500 (the service failed; the reason is in the body), 504
/// (no reply within <see cref="HttpServerOptions.RequestTimeout"/>).
/// </remarks>
public sealed class HttpServer : Service
{
    WebApplication? _app;

    /// <inheritdoc/>
    protected override ValueTask OnStart(object?[] args)
    {
        Dispatch(PType.Lua, async message =>
        {
            switch (message.Args)
            {
                case ["open", HttpServerOptions options]:
                    Ret(await Open(options));
                    return;
                case ["close"]:
                    await Close();
                    Ret();
                    return;
                default:
                    throw new InvalidOperationException($"Unknown command {message.Args.FirstOrDefault()}: use open(HttpServerOptions) or close");
            }
        });
        return default;
    }

    /// <inheritdoc/>
    protected override async ValueTask OnExit() => await Close();

    async ValueTask<int> Open(HttpServerOptions options)
    {
        if (_app is not null) throw new InvalidOperationException("The HTTP server is already open; close it first.");
        var routes = options.Routes.OrderByDescending(r => r.PathPrefix.Length).ToArray();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Parse(options.Host), options.Port);
            k.Limits.MaxRequestBodySize = options.MaxRequestBodySize;
            k.AddServerHeader = false;
        });
        var app = builder.Build();
        var node = Node;
        app.Run(context => Serve(node, context, routes, options));
        await app.StartAsync();
        _app = app;
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        Log($"HTTP listen on {options.Host}:{port}");
        return port;
    }

    async ValueTask Close()
    {
        if (_app is not { } app) return;
        _app = null;
        await app.StopAsync();
        await app.DisposeAsync();
    }

    static async Task Serve(SkynetNode node, HttpContext context, HttpRoute[] routes, HttpServerOptions options)
    {
        var request = context.Request;
        var route = Array.Find(routes, r => request.Path.Value!.StartsWith(r.PathPrefix, StringComparison.Ordinal)
            && (r.Method is null || string.Equals(r.Method, request.Method, StringComparison.OrdinalIgnoreCase)));
        if (route is null)
        {
            await Write(context, HttpResponseData.Text(404, "Not Found"));
            return;
        }

        byte[] body;
        try
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, context.RequestAborted);
            body = buffer.ToArray();
        }
        catch (BadHttpRequestException e)
        {
            await Write(context, HttpResponseData.Text(e.StatusCode, e.Message));
            return;
        }

        var data = new HttpRequestData(
            request.Method,
            $"{request.Path}{request.QueryString}",
            request.Path.Value!,
            request.Query.ToDictionary(q => q.Key, q => q.Value.Count > 0 ? q.Value[q.Value.Count - 1] ?? "" : "", StringComparer.Ordinal),
            request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal),
            body,
            $"{context.Connection.RemoteIpAddress}:{context.Connection.RemotePort}");

        HttpResponseData response;
        try
        {
            var payload = new object?[] { "http", data };
            var reply = route.Target is { } target
                ? await node.Call(target, PType.Lua, payload, options.RequestTimeout, context.RequestAborted)
                : await node.Call(route.TargetName!, PType.Lua, payload, options.RequestTimeout, context.RequestAborted);
            response = reply switch
            {
                HttpResponseData r => r,
                string text => HttpResponseData.Text(200, text),
                byte[] bytes => new HttpResponseData(200, bytes, "application/octet-stream"),
                int code => new HttpResponseData(code, []),
                null => new HttpResponseData(204, []),
                _ => HttpResponseData.Text(500, $"the service replied with a {reply.GetType().Name}; reply with HttpResponseData, string, byte[] or int"),
            };
        }
        catch (CallFailedException e) when (e.Failure == CallFailure.Timeout)
        {
            response = HttpResponseData.Text(504, $"no reply within {options.RequestTimeout.TotalSeconds:0.###} s");
        }
        catch (CallFailedException e)
        {
            response = HttpResponseData.Text(500, e.Message);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return; // the client left
        }
        await Write(context, response);
    }

    static async Task Write(HttpContext context, HttpResponseData response)
    {
        context.Response.StatusCode = response.Code;
        if (response.Header is { } header)
            foreach (var (name, value) in header) context.Response.Headers[name] = value;
        if (response.Body.Length > 0 || response.Code is not (204 or 304))
        {
            context.Response.ContentType = response.ContentType;
            context.Response.ContentLength = response.Body.Length;
            await context.Response.Body.WriteAsync(response.Body, context.RequestAborted);
        }
    }
}
