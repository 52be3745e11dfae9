using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Skynet.Net;
using Skynet.Runtime.Tests.Gate.WebSocket;
using Skynet.Runtime.Tests.TestSupport;

namespace Skynet.Runtime.Tests.Net;

/// <summary>A graceful close of a TLS socket ends the TLS session with close_notify, after the queued output.</summary>
public sealed class TlsCloseNotifyTests
{
    const int Reply = 100;

    [Fact]
    public async Task A_graceful_close_sends_the_reply_then_close_notify()
    {
        using var pfx = new TestCertificate();
        using var certificate = X509CertificateLoader.LoadPkcs12FromFile(pfx.Path, pfx.Password);
        await using var t = new TestNode();
        var port = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        await t.Spawn((self, _) =>
        {
            var driver = self.SocketDriver;
            var listen = driver.Listen("127.0.0.1", 0);
            driver.Events = message =>
            {
                switch (message.Type)
                {
                    case SocketEventType.Accept:
                        driver.StartTls(message.Ud, certificate, TimeSpan.FromSeconds(10));
                        return true;
                    case SocketEventType.Data:
                        driver.Send(message.Id, new byte[Reply]);
                        driver.Close(message.Id); // graceful: the reply, then close_notify, then FIN
                        return true;
                    default:
                        return true;
                }
            };
            driver.Start(listen);
            port.SetResult(driver.LocalEndPoint(listen)!.Port);
            return default;
        });

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, await TestNode.Within(port.Task)).WaitAsync(TestNode.Patience);
        var raw = new RecordingStream(new NetworkStream(socket, ownsSocket: false));
        await using var tls = new SslStream(raw, leaveInnerStreamOpen: true, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" }).WaitAsync(TestNode.Patience);
        var handshakeBytes = raw.Received.Count;
        await tls.WriteAsync(new byte[] { 1 });
        var buffer = new byte[4096];
        var total = 0;
        while (true)
        {
            var n = await tls.ReadAsync(buffer).AsTask().WaitAsync(TestNode.Patience);
            if (n == 0) break;
            total += n;
        }
        Assert.Equal(Reply, total);

        // The last TLS record before the FIN is the close_notify alert: a plain alert record (TLS 1.2, type 21) or, in
        // TLS 1.3, an encrypted record whose 2-byte alert makes it much shorter than the 100-byte reply's record.
        var records = Records(raw.Received.ToArray().AsSpan(handshakeBytes));
        var last = records[^1];
        var isAlert = last.Type == 21 || (last.Type == 23 && last.Length < Reply);
        Assert.True(isAlert, $"the last record is type {last.Type}, {last.Length} bytes: no close_notify before the FIN");
    }

    static List<(byte Type, int Length)> Records(ReadOnlySpan<byte> bytes)
    {
        var records = new List<(byte, int)>();
        while (bytes.Length >= 5)
        {
            var length = (bytes[3] << 8) | bytes[4];
            records.Add((bytes[0], length));
            bytes = bytes[Math.Min(bytes.Length, 5 + length)..];
        }
        return records;
    }

    /// <summary>A stream that keeps a copy of every byte read from it.</summary>
    sealed class RecordingStream(Stream inner) : Stream
    {
        public List<byte> Received { get; } = [];

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await inner.ReadAsync(buffer, cancellationToken);
            lock (Received) Received.AddRange(buffer.Span[..n]);
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = inner.Read(buffer, offset, count);
            lock (Received) Received.AddRange(buffer.AsSpan(offset, n));
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.WriteAsync(buffer, offset, count, cancellationToken);
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
