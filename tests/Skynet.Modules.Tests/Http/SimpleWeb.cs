using System.Text;
using Skynet.Http;

namespace Skynet.Modules.Tests.Http;

/// <summary>The agent half of skynet's <c>examples/simpleweb.lua</c>: echoes host, path, query, headers and body.
/// <c>/fail</c> throws, <c>/hold</c> never replies (its responder is kept), <c>/bytes</c> replies with a byte[].</summary>
internal sealed class SimpleWeb : Service
{
    readonly List<Responder> _held = [];

    protected override ValueTask OnStart(object?[] args)
    {
        Dispatch(PType.Lua, message =>
        {
            var request = (HttpRequestData)message.Args[1]!;
            switch (request.Path)
            {
                case "/fail":
                    throw new InvalidOperationException("simpleweb failed on purpose");
                case "/hold":
                    _held.Add(Response());
                    return default;
                case "/bytes":
                    Ret(new byte[] { 0, 1, 2 });
                    return default;
            }
            var tmp = new StringBuilder();
            if (request.Header.TryGetValue("host", out var host)) tmp.Append($"host: {host}\n");
            tmp.Append($"path: {request.Path}\n");
            foreach (var (k, v) in request.Query.OrderBy(q => q.Key, StringComparer.Ordinal)) tmp.Append($"query: {k}= {v}\n");
            tmp.Append("-----header----\n");
            tmp.Append($"method = {request.Method}\n");
            tmp.Append($"-----body----\n{request.BodyText}");
            Ret(tmp.ToString());
            return default;
        });
        Register(".web");
        return default;
    }
}
