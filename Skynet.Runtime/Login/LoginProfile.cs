namespace Skynet.Login;

/// <summary>
/// The cryptography a <see cref="LoginServer"/>, a <see cref="MsgServer"/> and their clients speak. Both profiles use
/// the same line protocol, status codes, framing and API; only the algorithms differ. Server and client must agree.
/// </summary>
public enum LoginProfile
{
    /// <summary>
    /// skynet's own algorithms, byte for byte: 8-byte challenge, Diffie-Hellman over 2^64-59, <c>hmac64</c>,
    /// DES-ECB for the token, <c>hmac64(hashkey(text), secret)</c> for the msgserver handshake. Shipped skynet
    /// clients speak this; it is weak by today's standards.
    /// </summary>
    Compatible = 0,

    /// <summary>
    /// Opt-in modern algorithms from the BCL: 32-byte challenge, ECDH on P-256 (uncompressed points), HKDF-SHA256 for
    /// the 32-byte secret, HMAC-SHA256 for the challenge proof and the msgserver handshake, AES-256-GCM for the token.
    /// </summary>
    Modern = 1,
}
