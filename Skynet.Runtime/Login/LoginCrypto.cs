using System.Security.Cryptography;
using System.Text;

namespace Skynet.Login;

/// <summary>The algorithms of one <see cref="LoginProfile"/>, shared by servers and clients.</summary>
internal abstract class LoginCrypto
{
    public static readonly LoginCrypto Compatible = new CompatibleCrypto();
    public static readonly LoginCrypto Modern = new ModernCrypto();

    public static LoginCrypto For(LoginProfile profile) => profile switch
    {
        LoginProfile.Compatible => Compatible,
        LoginProfile.Modern => Modern,
        _ => throw new ArgumentOutOfRangeException(nameof(profile), profile, "Unknown login profile; use Compatible or Modern."),
    };

    /// <summary>A fresh random challenge; <paramref name="random"/> (tests only) replaces the generator.</summary>
    public abstract byte[] NewChallenge(Func<byte[]>? random);

    /// <summary>A fresh key pair for the key exchange.</summary>
    public abstract KeyPair NewKeyPair(Func<byte[]>? random);

    /// <summary>True when <paramref name="publicKey"/> has the shape this profile exchanges.</summary>
    public abstract bool IsValidPublicKey(byte[] publicKey);

    /// <summary>The proof that the client knows the secret: skynet's <c>hmac64(challenge, secret)</c>.</summary>
    public abstract byte[] Proof(byte[] challenge, byte[] secret);

    public abstract byte[] EncryptToken(byte[] secret, byte[] token);

    /// <summary>Decrypts a token; throws <see cref="CryptException"/> or <see cref="CryptographicException"/> on bad input.</summary>
    public abstract byte[] DecryptToken(byte[] secret, byte[] encrypted);

    /// <summary>The msgserver handshake's hmac over <c>username:index</c>.</summary>
    public abstract byte[] HandshakeHmac(byte[] secret, ReadOnlySpan<byte> text);

    /// <summary>One side's key-exchange state.</summary>
    internal abstract class KeyPair : IDisposable
    {
        public abstract byte[] PublicKey { get; }

        /// <summary>The shared secret from the peer's public key (the challenge salts the modern profile's KDF).</summary>
        public abstract byte[] Agree(byte[] peerPublic, byte[] challenge);

        public virtual void Dispose() { }
    }

    sealed class CompatibleCrypto : LoginCrypto
    {
        public override byte[] NewChallenge(Func<byte[]>? random) => Key(random);

        public override KeyPair NewKeyPair(Func<byte[]>? random) => new DhKey(Key(random));

        /// <summary>Eight bytes, and not 0, 1 or P−1 modulo P, which would make the secret guessable.</summary>
        public override bool IsValidPublicKey(byte[] publicKey) => Crypt.IsValidDhPublicKey(publicKey);

        public override byte[] Proof(byte[] challenge, byte[] secret) => Crypt.Hmac64(challenge, secret);

        public override byte[] EncryptToken(byte[] secret, byte[] token) => Crypt.DesEncode(secret, token);

        public override byte[] DecryptToken(byte[] secret, byte[] encrypted) => Crypt.DesDecode(secret, encrypted);

        public override byte[] HandshakeHmac(byte[] secret, ReadOnlySpan<byte> text) => Crypt.Hmac64(Crypt.HashKey(text), secret);

        static byte[] Key(Func<byte[]>? random)
        {
            var key = random?.Invoke() ?? Crypt.RandomKey();
            if (key.Length != 8) throw new InvalidOperationException("The compatible login profile uses 8-byte keys.");
            return key;
        }

        sealed class DhKey(byte[] privateKey) : KeyPair
        {
            public override byte[] PublicKey { get; } = Crypt.DhExchange(privateKey);

            public override byte[] Agree(byte[] peerPublic, byte[] challenge) => Crypt.DhSecret(peerPublic, privateKey);
        }
    }

    sealed class ModernCrypto : LoginCrypto
    {
        const int PointLength = 65; // 0x04 || X || Y on P-256
        const int NonceLength = 12;
        const int TagLength = 16;
        static readonly byte[] s_secretInfo = Encoding.ASCII.GetBytes("skynet-login v1 secret");
        static readonly byte[] s_tokenInfo = Encoding.ASCII.GetBytes("skynet-login v1 token");

        public override byte[] NewChallenge(Func<byte[]>? random) => RandomNumberGenerator.GetBytes(32);

        public override KeyPair NewKeyPair(Func<byte[]>? random) => new EcKey();

        /// <summary>An uncompressed point that lies on P-256 (not the point at infinity, which has no encoding here).</summary>
        public override bool IsValidPublicKey(byte[] publicKey)
        {
            if (publicKey.Length != PointLength || publicKey[0] != 4) return false;
            try
            {
                using var peer = ECDiffieHellman.Create(new ECParameters
                {
                    Curve = ECCurve.NamedCurves.nistP256,
                    Q = new ECPoint { X = publicKey[1..33], Y = publicKey[33..] },
                });
                return true;
            }
            catch (CryptographicException)
            {
                return false; // not on the curve: an invalid-curve attack, or garbage
            }
        }

        public override byte[] Proof(byte[] challenge, byte[] secret) => HMACSHA256.HashData(secret, challenge);

        public override byte[] EncryptToken(byte[] secret, byte[] token)
        {
            var result = new byte[NonceLength + token.Length + TagLength];
            var nonce = result.AsSpan(0, NonceLength);
            RandomNumberGenerator.Fill(nonce);
            using var aes = new AesGcm(TokenKey(secret), TagLength);
            aes.Encrypt(nonce, token, result.AsSpan(NonceLength, token.Length), result.AsSpan(NonceLength + token.Length));
            return result;
        }

        public override byte[] DecryptToken(byte[] secret, byte[] encrypted)
        {
            if (encrypted.Length < NonceLength + TagLength)
                throw new CryptographicException($"A modern token holds at least {NonceLength + TagLength} bytes; got {encrypted.Length}.");
            var plain = new byte[encrypted.Length - NonceLength - TagLength];
            using var aes = new AesGcm(TokenKey(secret), TagLength);
            aes.Decrypt(encrypted.AsSpan(0, NonceLength), encrypted.AsSpan(NonceLength, plain.Length), encrypted.AsSpan(NonceLength + plain.Length), plain);
            return plain;
        }

        public override byte[] HandshakeHmac(byte[] secret, ReadOnlySpan<byte> text) => HMACSHA256.HashData(secret, text);

        static byte[] TokenKey(byte[] secret) => HKDF.Expand(HashAlgorithmName.SHA256, secret, 32, s_tokenInfo);

        sealed class EcKey : KeyPair
        {
            readonly ECDiffieHellman _ecdh = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);

            public EcKey()
            {
                var q = _ecdh.ExportParameters(false).Q;
                PublicKey = [4, .. q.X!, .. q.Y!];
            }

            public override byte[] PublicKey { get; }

            public override byte[] Agree(byte[] peerPublic, byte[] challenge)
            {
                if (peerPublic.Length != PointLength || peerPublic[0] != 4)
                    throw new CryptographicException("A P-256 public key is a 65-byte uncompressed point.");
                using var peer = ECDiffieHellman.Create(new ECParameters
                {
                    Curve = ECCurve.NamedCurves.nistP256,
                    Q = new ECPoint { X = peerPublic[1..33], Y = peerPublic[33..] },
                });
                var raw = _ecdh.DeriveRawSecretAgreement(peer.PublicKey);
                return HKDF.DeriveKey(HashAlgorithmName.SHA256, raw, 32, challenge, s_secretInfo);
            }

            public override void Dispose() => _ecdh.Dispose();
        }
    }
}
