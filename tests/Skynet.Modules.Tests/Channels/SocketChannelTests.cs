using System.Net;
using System.Net.Sockets;
using System.Text;
using Skynet.Channels;
using Skynet.Modules.Tests.TestSupport;

namespace Skynet.Modules.Tests.Channels;

public sealed class SocketChannelTests : IAsyncLifetime
{
    readonly SkynetNode _node = new(new SkynetOptions { Threads = 2 });

    public Task InitializeAsync()
    {
        _node.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _node.StopAsync(TimeSpan.FromSeconds(2));

    static byte[] Line(string text) => Encoding.UTF8.GetBytes(text + "\n");

    static ValueTask<string> ReadLine(SocketChannelReader reader) => reader.ReadLine();

    static SocketChannelOptions SessionMode(int port) => new()
    {
        Host = "127.0.0.1",
        Port = port,
        Response = async reader =>
        {
            var line = await reader.ReadLine();
            var space = line.IndexOf(' ');
            return new SocketChannelResponse(long.Parse(line[..space], System.Globalization.CultureInfo.InvariantCulture), true, line[(space + 1)..]);
        },
    };

    [Fact]
    public async Task Order_mode_reads_responses_in_request_order()
    {
        await using var server = new LineServer();
        var results = await Inside.Run(_node, async self =>
        {
            var channel = new SocketChannel(self, new SocketChannelOptions { Host = "127.0.0.1", Port = server.Port, NoDelay = true });
            var requests = Enumerable.Range(0, 50).Select(i => channel.Request(Line($"{i} ask"), ReadLine).AsTask()).ToList();
            return await Task.WhenAll(requests);
        });
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"{i} ask!"), results);
        Assert.Equal(1, server.Accepted);
    }

    [Fact]
    public async Task Session_mode_matches_responses_that_come_out_of_order()
    {
        await using var server = new LineServer();
        var (first, second) = await Inside.Run(_node, async self =>
        {
            var channel = new SocketChannel(self, SessionMode(server.Port));
            var a = channel.Request(Line("1 hold"), 1).AsTask(); // answered after the next one
            var b = channel.Request(Line("2 two"), 2).AsTask();
            var results = await Task.WhenAll(a, b);
            return ((string)results[0]!, (string)results[1]!);
        });
        Assert.Equal(("hold!", "two!"), (first, second));
    }

    [Fact]
    public async Task A_dropped_connection_fails_requests_in_flight_then_reconnects_and_authenticates_again()
    {
        await using var server = new LineServer(secret: "s3cret");
        var outcome = await Inside.Run(_node, async self =>
        {
            var channel = new SocketChannel(self, new SocketChannelOptions
            {
                Host = "127.0.0.1",
                Port = server.Port,
                Auth = async connection =>
                {
                    var reply = await connection.Request(Line("AUTH s3cret"), ReadLine);
                    if (reply != "OK") throw new InvalidOperationException(reply);
                },
            });
            Assert.Equal("1 a!", await channel.Request(Line("1 a"), ReadLine));
            var inFlight = channel.Request(Line("2 b"), ReadLine).AsTask();
            var dropped = channel.Request(Line("3 drop"), ReadLine).AsTask(); // the server closes on this one
            var afterDrop = channel.Request(Line("4 c"), ReadLine).AsTask();
            Assert.Equal("2 b!", await inFlight);
            var e1 = await Assert.ThrowsAsync<SocketChannelException>(() => dropped);
            var e2 = await Assert.ThrowsAsync<SocketChannelException>(() => afterDrop);
            Assert.Contains("closed", e1.Message);
            Assert.Same(e1, e2);
            // The next request reconnects (and authenticates) by itself.
            Assert.Equal("5 d!", await channel.Request(Line("5 d"), ReadLine));
            return channel.Connections;
        });
        Assert.Equal(2, outcome);
        Assert.Equal(2, server.Accepted);
        Assert.Equal(2, server.Authenticated);
    }

    [Fact]
    public async Task A_server_that_drops_everyone_is_detected_before_the_next_request()
    {
        await using var server = new LineServer();
        await Inside.Run(_node, async self =>
        {
            var channel = new SocketChannel(self, new SocketChannelOptions { Host = "127.0.0.1", Port = server.Port });
            var disconnected = new TaskCompletionSource<SocketChannelEndpoint>(TaskCreationOptions.RunContinuationsAsynchronously);
            channel.Disconnected += endpoint => disconnected.TrySetResult(endpoint);
            Assert.Equal("1 a!", await channel.Request(Line("1 a"), ReadLine));
            server.DropAll();
            Assert.Equal(server.Port, (await disconnected.Task).Port); // no request in flight: the close event tells
            Assert.False(channel.IsConnected);
            Assert.Equal("2 b!", await channel.Request(Line("2 b"), ReadLine));
            Assert.Equal(2, channel.Connections);
        });
    }

    [Fact]
    public async Task Backup_hosts_are_tried_in_order_and_a_failed_auth_moves_on()
    {
        await using var denying = new LineServer(secret: "other");
        await using var good = new LineServer(secret: "s3cret");
        var dead = DeadPort();
        var host = await Inside.Run(_node, async self =>
        {
            var channel = new SocketChannel(self, new SocketChannelOptions
            {
                Host = "127.0.0.1",
                Port = dead,
                Backup = [new("127.0.0.1", denying.Port), new("127.0.0.1", good.Port)],
                Auth = async connection =>
                {
                    var reply = await connection.Request(Line("AUTH s3cret"), ReadLine);
                    if (reply != "OK") throw new InvalidOperationException($"auth refused: {reply}");
                },
            });
            Assert.Equal("1 x!", await channel.Request(Line("1 x"), ReadLine));
            return channel.Host;
        });
        Assert.Equal(new SocketChannelEndpoint("127.0.0.1", good.Port), host);
        Assert.Equal((1, 0), (denying.Accepted, denying.Authenticated));
        Assert.Equal(1, good.Authenticated);
    }

    [Fact]
    public async Task Requests_fail_cleanly_while_nothing_answers_and_connect_retries_with_backoff_until_it_does()
    {
        var port = DeadPort();
        LineServer? server = null;
        try
        {
            await Inside.Run(_node, async self =>
            {
                var channel = new SocketChannel(self, new SocketChannelOptions
                {
                    Host = "127.0.0.1",
                    Port = port,
                    ReconnectDelay = TimeSpan.FromMilliseconds(20),
                    MaxReconnectDelay = TimeSpan.FromMilliseconds(200),
                });
                var e = await Assert.ThrowsAsync<SocketChannelException>(() => channel.Request(Line("1 a"), ReadLine).AsTask());
                Assert.Contains("connect failed", e.Message);

                var connecting = channel.Connect().AsTask(); // keeps retrying; its first round is already in flight
                var busy = await Assert.ThrowsAsync<SocketChannelException>(() => channel.Request(Line("2 b"), ReadLine).AsTask());
                Assert.Contains("connect", busy.Message); // either mid-round (connect failed) or between rounds (reconnecting)
                Assert.False(connecting.IsCompleted);

                server = new LineServer(port);
                await connecting;
                Assert.Equal("3 c!", await channel.Request(Line("3 c"), ReadLine));

                channel.Close();
                var closed = await Assert.ThrowsAsync<SocketChannelException>(() => channel.Request(Line("4 d"), ReadLine).AsTask());
                Assert.Contains("is closed", closed.Message);
            });
        }
        finally
        {
            if (server is not null) await server.DisposeAsync();
        }
    }

    static int DeadPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port; // closed on dispose: connecting there is refused
    }
}
