using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Skynet.Diagnostics;

namespace Skynet.Ops.Tests.Diagnostics;

public class MetricsTests
{
    /// <summary>Collects every measurement of the Skynet meter tagged with one node name (tests run in parallel).</summary>
    sealed class Recorder : IDisposable
    {
        readonly MeterListener _listener = new();
        readonly string _node;

        public Recorder(string node)
        {
            _node = node;
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == SkynetMetrics.MeterName) listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i, v, tags));
            _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Add(i, v, tags));
            _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i, v, tags));
            _listener.Start();
        }

        public ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> Measurements { get; } = new();

        public void Observe() => _listener.RecordObservableInstruments();

        public IEnumerable<(double Value, Dictionary<string, object?> Tags)> Of(string instrument) =>
            Measurements.Where(m => m.Instrument == instrument).Select(m => (m.Value, m.Tags));

        void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var dictionary = new Dictionary<string, object?>();
            foreach (var tag in tags) dictionary[tag.Key] = tag.Value;
            if (dictionary.TryGetValue("skynet.node", out var node) && (string?)node != _node) return;
            Measurements.Enqueue((instrument.Name, value, dictionary));
        }

        public void Dispose() => _listener.Dispose();
    }

    [Fact]
    public async Task Messages_call_latency_and_failures_by_kind_are_measured_per_node()
    {
        var name = "metrics-" + Guid.NewGuid().ToString("N");
        using var recorder = new Recorder(name);
        await using var test = new TestNode(nodeName: name);
        var callee = await TestNode.Within(test.Node.NewService<Callee>());
        var caller = await TestNode.Within(test.Node.NewService<Caller>());

        Assert.Equal("ok", await TestNode.Within(test.Node.Call(caller, callee, "ok")));
        Assert.Equal("failed:HandlerFailed", await TestNode.Within(test.Node.Call(caller, callee, "fail")));

        Assert.True(recorder.Of("skynet.messages.handled").Sum(m => m.Value) >= 4); // two requests in, two replies back, at least
        var latencies = recorder.Of("skynet.call.duration").ToList();
        Assert.Equal(2, latencies.Count);
        Assert.All(latencies, l => Assert.InRange(l.Value, 0, 30));
        var failure = Assert.Single(recorder.Of("skynet.call.failures"));
        Assert.Equal("HandlerFailed", failure.Tags["skynet.failure"]);
    }

    [Fact]
    public async Task Mailbox_lengths_services_and_sockets_are_read_when_a_listener_collects()
    {
        var name = "gauges-" + Guid.NewGuid().ToString("N");
        using var recorder = new Recorder(name);
        await using var test = new TestNode(nodeName: name);
        var callee = await TestNode.Within(test.Node.NewService<Callee>());

        recorder.Observe();

        var mailbox = Assert.Single(recorder.Of("skynet.mailbox.length"), m => (string?)m.Tags["skynet.service"] == callee.ToString());
        Assert.Equal(0, mailbox.Value);
        Assert.Equal(1, Assert.Single(recorder.Of("skynet.services")).Value);
        Assert.Equal(0, Assert.Single(recorder.Of("skynet.sockets.open")).Value);
    }

    [Fact]
    public void Bytes_and_cluster_calls_are_counted_through_the_public_recorders()
    {
        using var listener = new MeterListener();
        var totals = new ConcurrentDictionary<string, long>();
        listener.InstrumentPublished = (instrument, l) => { if (instrument.Meter.Name == SkynetMetrics.MeterName) l.EnableMeasurementEvents(instrument); };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags) if (tag.Key == "skynet.cluster.node" && (string?)tag.Value != "db-test-peer") return;
            totals.AddOrUpdate(instrument.Name, value, (_, old) => old + value);
        });
        listener.Start();

        SkynetMetrics.RecordBytesIn(100);
        SkynetMetrics.RecordBytesOut(40);
        SkynetMetrics.RecordClusterCall("db-test-peer");

        Assert.True(totals["skynet.socket.bytes_in"] >= 100);
        Assert.True(totals["skynet.socket.bytes_out"] >= 40);
        Assert.Equal(1, totals["skynet.cluster.calls"]);
    }

    [Fact]
    public async Task Cluster_calls_socket_bytes_and_open_sockets_come_from_the_cluster_and_socket_layers()
    {
        var totals = new ConcurrentDictionary<string, long>();
        var peers = new ConcurrentQueue<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) => { if (instrument.Meter.Name == SkynetMetrics.MeterName) l.EnableMeasurementEvents(instrument); };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags) if (tag.Key == "skynet.cluster.node") peers.Enqueue((string)tag.Value!);
            totals.AddOrUpdate(instrument.Name, value, (_, old) => old + value);
        });
        var sockets = new ConcurrentDictionary<string, int>();
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags) if (instrument.Name == "skynet.sockets.open" && tag.Key == "skynet.node") sockets[(string)tag.Value!] = value;
        });
        listener.Start();
        await using var pair = await ClusterPair.Start("metrics");

        Assert.Equal("ok", await pair.Call("plain"));
        Assert.Equal("ok", await pair.Call("plain"));
        listener.RecordObservableInstruments();

        Assert.Equal(2, peers.Count(p => p == pair.PeerName));
        // Each call is at least a request frame out of A and into B and a reply back: bytes counted on both sides.
        Assert.True(totals.GetValueOrDefault("skynet.socket.bytes_out") >= 4 * 10, $"bytes out {totals.GetValueOrDefault("skynet.socket.bytes_out")}");
        Assert.True(totals.GetValueOrDefault("skynet.socket.bytes_in") >= 4 * 10, $"bytes in {totals.GetValueOrDefault("skynet.socket.bytes_in")}");
        Assert.Equal(1, sockets[pair.A.Node.Options.NodeName]); // the sender's connection
        Assert.Equal(2, sockets[pair.B.Node.Options.NodeName]); // the listener and the agent's connection
    }
}
