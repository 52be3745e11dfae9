namespace Skynet.Samples.Chat;

/// <summary>
/// One client frame as the chat channel carries it, built once by the sender's agent and shared by every receiving
/// agent: <see cref="Packed"/> is the netpack frame ready for a TCP socket; <see cref="Body"/> is what a WebSocket
/// gate sends (a <see cref="string"/> for a text message, the payload <see cref="byte"/> array for a binary one).
/// Nobody writes these arrays after construction.
/// </summary>
public sealed record ChatFrame(byte[] Packed, object Body);
