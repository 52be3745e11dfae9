using System.Net;
using Skynet.Http;
using Skynet.Modules.Tests.TestSupport;

namespace Skynet.Modules.Tests.Http;

/// <summary>The HTTP endpoint and the httpc client, on one node with a single worker thread: if either blocked the
/// worker, the service answering the request could never run and the test would time out.</summary>
public sealed class HttpTests : IAsyncLifetime
{
    readonly SkynetNode _node = new(new SkynetOptions { Threads = 1 });
    static readonly HttpClient Client = new();
    Address _server;
    int _port;

    public async Task InitializeAsync()
    {
        _node.Start();
        var web = await _node.NewService(new SimpleWeb());
        _server = await _node.NewService(new HttpServer());
        _port = (int)(await _node.Call(_server, "open", new HttpServerOptions
        {
            Port = 0,
            Routes =
            [
                new HttpRoute("/", Target: web),
                new HttpRoute("/named/", TargetName: ".web", Method: "GET"),
                new HttpRoute("/nobody/", TargetName: ".nobody"),
            ],
        }))!;
    }

    public async Task DisposeAsync() => await _node.StopAsync(TimeSpan.FromSeconds(5));

    string Host => $"127.0.0.1:{_port}";

    [Fact]
    public async Task Get_and_post_from_a_service_reach_the_routed_service()
    {
        var (get, post) = await Inside.Run(_node, async self =>
        {
            var httpc = new Httpc(Client, TimeSpan.FromSeconds(20));
            var g = await httpc.Get(Host, "/hello/world?b=2&a=1");
            var p = await httpc.Post(Host, "/form", [new("name", "skynet"), new("lang", "c#")]);
            return (g, p);
        });
        Assert.Equal(200, get.Code);
        Assert.Equal($"host: {Host}\npath: /hello/world\nquery: a= 1\nquery: b= 2\n-----header----\nmethod = GET\n-----body----\n", get.BodyText);
        Assert.StartsWith("text/plain", get.Header["content-type"]);
        Assert.Equal(200, post.Code);
        Assert.EndsWith("method = POST\n-----body----\nname=skynet&lang=c%23", post.BodyText);
    }

    [Fact]
    public async Task Routes_by_name_and_method_and_gives_404_without_a_route()
    {
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync($"http://{Host}/named/x")).StatusCode);
        // POST to /named/ matches no route with that method; the "/" route takes it.
        Assert.Contains("method = POST", await (await Client.PostAsync($"http://{Host}/named/x", new StringContent("b"))).Content.ReadAsStringAsync());
        var down = await Client.GetAsync($"http://{Host}/nobody/x");
        Assert.Equal(HttpStatusCode.InternalServerError, down.StatusCode);
        Assert.Contains("UnknownAddress", await down.Content.ReadAsStringAsync());
        var bytes = await Client.GetAsync($"http://{Host}/bytes");
        Assert.Equal([0, 1, 2], await bytes.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Server_errors_are_status_codes_with_reasons()
    {
        var fail = await Client.GetAsync($"http://{Host}/fail");
        Assert.Equal(HttpStatusCode.InternalServerError, fail.StatusCode);
        Assert.Contains("simpleweb failed on purpose", await fail.Content.ReadAsStringAsync());

        // A server whose services get 300 ms to reply (silence is the point here; elsewhere the default 30 s).
        var impatient = await _node.NewService(new HttpServer());
        var port = (int)(await _node.Call(impatient, "open", new HttpServerOptions
        {
            RequestTimeout = TimeSpan.FromMilliseconds(300),
            Routes = [new HttpRoute("/", TargetName: ".web")],
        }))!;
        var held = await Client.GetAsync($"http://127.0.0.1:{port}/hold");
        Assert.Equal(HttpStatusCode.GatewayTimeout, held.StatusCode);
        Assert.Contains("no reply within 0.3 s", await held.Content.ReadAsStringAsync());

        var big = await Client.PostAsync($"http://{Host}/big", new ByteArrayContent(new byte[8193]));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, big.StatusCode);
    }

    [Fact]
    public async Task Httpc_times_out_with_a_clear_error_and_the_worker_stays_free()
    {
        var server = await _node.NewService(new HttpServer());
        var port = (int)(await _node.Call(server, "open", new HttpServerOptions { Routes = [new HttpRoute("/", TargetName: ".web")] }))!;
        var message = await Inside.Run(_node, async self =>
        {
            var httpc = new Httpc(Client, TimeSpan.FromMilliseconds(200));
            var e = await Assert.ThrowsAsync<TimeoutException>(() => httpc.Get($"127.0.0.1:{port}", "/hold"));
            return e.Message;
        });
        Assert.Contains("no response within 0.2 s", message);
        await _node.Call(server, "close");
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => Client.GetAsync($"http://127.0.0.1:{port}/"));
    }
}
