using System.Text;
using Skynet.Runtime.Tests.Net;

namespace Skynet.Runtime.Tests.Login;

/// <summary>Line helpers over <see cref="TcpTestClient"/> for raw-byte login tests.</summary>
static class LoginWire
{
    /// <summary>Reads one line without its "\n"; null when the server closed (or reset) first.</summary>
    public static async Task<string?> ReadLine(this TcpTestClient client)
    {
        var line = new List<byte>();
        while (true)
        {
            byte[] one;
            try { one = await client.ReadExactly(1); }
            catch (EndOfStreamException) { return null; }
            catch (System.Net.Sockets.SocketException) { return null; }
            if (one[0] == '\n') return Encoding.ASCII.GetString([.. line]);
            line.Add(one[0]);
        }
    }

    public static Task SendLine(this TcpTestClient client, string text) => client.Send(text + "\n");

    /// <summary>Reads what is left until the server closes; the text of it.</summary>
    public static async Task<string> Rest(this TcpTestClient client) => Encoding.ASCII.GetString(await client.ReadToEnd());
}
