namespace Skynet.Gate.WebSocket;

/// <summary>
/// The configuration a <see cref="WebSocketGate"/> or <see cref="WebSocketMasterGate"/> opens with. Plain properties,
/// so it binds from an <c>IConfiguration</c> section (<c>config.GetSection("Skynet:WebSocketGate").Bind(options)</c>).
/// Setting <see cref="CertificateFile"/> makes the gate speak <c>wss</c> (TLS); otherwise it speaks <c>ws</c>.
/// </summary>
public sealed class WebSocketGateOptions
{
    /// <summary>The address to listen on; <c>0.0.0.0</c> by default.</summary>
    public string Host { get; set; } = "0.0.0.0";

    /// <summary>The port to listen on; 0 picks a free one, and the gate writes the bound port back here.</summary>
    public int Port { get; set; }

    /// <summary>The most connections at once, handshakes included; further connections are closed at once.</summary>
    public int MaxClient { get; set; } = 1024;

    /// <summary>Disable Nagle's algorithm on client connections.</summary>
    public bool NoDelay { get; set; }

    /// <summary>The kernel's queue of connections not yet accepted.</summary>
    public int Backlog { get; set; } = 128;

    /// <summary>
    /// The largest message a client may send, in bytes, after its fragments are joined (default 1 MiB). A longer one
    /// closes that connection with 1009. This bounds what one client can make the gate buffer.
    /// </summary>
    public int MaxMessageLength { get; set; } = WebSocketFrameDecoder.DefaultMaxMessageLength;

    /// <summary>
    /// The most bytes that may wait to be sent to one client; past it the client is closed with an error (0: no
    /// limit). The watchdog is warned once 1 MiB waits.
    /// </summary>
    public long MaxWriteBuffer { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// Time allowed from accept to a complete upgrade request (the TLS handshake included); a client slower than this
    /// is dropped, so idle connections cannot hold slots. Default 10 s.
    /// </summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Closes a client that sent nothing (not even a ping) for this long, after its handshake; <see cref="TimeSpan.Zero"/>
    /// (the default) disables it.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; }

    /// <summary>A PKCS#12 (.pfx) file holding the server certificate and its private key; when set, clients connect with <c>wss://</c>.</summary>
    public string? CertificateFile { get; set; }

    /// <summary>The password of <see cref="CertificateFile"/>, if it has one.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>The number of slave gates a <see cref="WebSocketMasterGate"/> spreads connections over (default 8, as skynet-demo's ws_gate).</summary>
    public int Slaves { get; set; } = 8;

    /// <summary>The service told about connections; the sender of <c>open</c> when unset.</summary>
    public Address? Watchdog { get; set; }

    /// <summary>True when <see cref="CertificateFile"/> is set: the gate speaks TLS.</summary>
    public bool IsSecure => !string.IsNullOrEmpty(CertificateFile);

    internal void Validate()
    {
        if (MaxClient < 1) throw new ArgumentOutOfRangeException(nameof(MaxClient), MaxClient, "MaxClient must be at least 1.");
        if (MaxMessageLength < 0) throw new ArgumentOutOfRangeException(nameof(MaxMessageLength), MaxMessageLength, "MaxMessageLength cannot be negative.");
        if (Slaves < 1) throw new ArgumentOutOfRangeException(nameof(Slaves), Slaves, "A master gate needs at least 1 slave.");
        if (IdleTimeout < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(IdleTimeout), IdleTimeout, "IdleTimeout cannot be negative (zero disables it).");
        if (HandshakeTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(HandshakeTimeout), HandshakeTimeout, "HandshakeTimeout must be positive.");
        if (CertificateFile is { Length: > 0 } file && !File.Exists(file))
            throw new FileNotFoundException($"The WebSocket gate's certificate file '{file}' does not exist; set CertificateFile to a .pfx file or leave it empty for plain ws.", file);
    }

    internal System.Security.Cryptography.X509Certificates.X509Certificate2? LoadCertificate() =>
        IsSecure
            ? System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(CertificateFile!, CertificatePassword)
            : null;
}
