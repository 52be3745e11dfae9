using Skynet.Login;

namespace Skynet.Benchmarks;

/// <summary>
/// login_handshakes: full skynet-compatible loginserver handshakes over loopback (challenge, DH exchange, hmac, DES
/// token, auth, login, 200 line, close), many clients at once against a master with 8 slaves.
/// </summary>
internal sealed class LoginHandshakes : Benchmark
{
    const int Concurrency = 64;

    public override string Name => "login_handshakes";

    public override async Task RunAsync(Run run)
    {
        var logins = run.Scale(5_000);
        var node = StartNode(run);
        try
        {
            var options = new LoginServerOptions { Host = "127.0.0.1", Port = 0, Instance = 8, Backlog = 1024, MultiLogin = true, Name = "bench_login" };
            await node.NewService(new BenchLoginServer(), options);
            var client = new LoginClient();
            using var limit = new SemaphoreSlim(Concurrency);
            var probe = Probe.Start();
            var tasks = new Task<LoginResult>[logins];
            for (var i = 0; i < logins; i++)
            {
                await limit.WaitAsync();
                tasks[i] = Login(client, options.Port, i, limit);
            }
            var results = await Task.WhenAll(tasks);
            var measured = probe.Stop(logins);
            var ok = 0;
            foreach (var result in results) if (result.IsSuccess) ok++;
            Run.Check(ok == logins, $"{ok} of {logins} logins answered 200");
            run.Result(("per_sec", logins / measured.Seconds), ("logins", logins), ("clients", Concurrency), ("sec", measured.Seconds));
            measured.Report(run, "login");
        }
        finally
        {
            await node.StopAsync();
        }
    }

    static async Task<LoginResult> Login(LoginClient client, int port, int i, SemaphoreSlim limit)
    {
        try
        {
            return await client.LoginAsync("127.0.0.1", port, "user" + i, "bench", "password");
        }
        finally
        {
            limit.Release();
        }
    }

    sealed class BenchLoginServer : LoginServer
    {
        int _next;

        protected override ValueTask<(string Server, string Uid)> AuthHandler(string token) =>
            LoginToken.TryParse(token, out var user, out var server, out var password) && password == "password"
                ? new((server, user))
                : throw new UnauthorizedAccessException("Invalid password");

        protected override ValueTask<string?> LoginHandler(string server, string uid, byte[] secret) =>
            new((++_next).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
