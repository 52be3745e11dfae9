using System.Runtime;
using Skynet.Benchmarks;
using Skynet.Benchmarks.Peers;

// Usage: dotnet run -c Release --project benchmarks/Skynet.Benchmarks.Peers -- [peers] [--runs N] [figure...]
// Prints, per figure, one "RESULT <figure> system=<name> variant=<how> <key>=<median> ..." line per variant; the
// skynet lines first, and on every peer line skynet_advantage = how many times better Skynet's first variant is (> 1: ahead).
var runs = 3;
var figures = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--runs" && i + 1 < args.Length && int.TryParse(args[++i], out var n) && n > 0) runs = n;
    else if (args[i] != "peers") figures.Add(args[i]);
}

Variant[] all = [.. SkynetWorkloads.All(), .. AkkaWorkloads.All(), .. ProtoWorkloads.All()];
var selected = all.Where(v => figures.Count == 0 || figures.Contains(v.Figure)).ToArray();
if (figures.Any(f => all.All(v => v.Figure != f)))
{
    Console.Error.WriteLine($"unknown figure; known: {string.Join(", ", all.Select(v => v.Figure).Distinct())}");
    return 2;
}

Console.WriteLine($"# peers threads={Environment.ProcessorCount} runs={runs} runtime={System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription} " +
                  $"gc={(GCSettings.IsServerGC ? "server" : "workstation")} akka={PackageVersion(typeof(Akka.Actor.ActorSystem))} " +
                  $"akka_default_executor={Akka.Configuration.ConfigurationFactory.Default().GetString("akka.actor.default-dispatcher.executor")} " +
                  $"proto={PackageVersion(typeof(Proto.ActorSystem))} loadavg={LoadAverage()}");

var failed = false;
foreach (var figure in selected.GroupBy(v => v.Figure))
{
    double? skynet = null, skynetBytes = null;
    foreach (var variant in figure)
    {
        try
        {
            await variant.Measure(Math.Max(1, variant.Size / 10)); // warm-up: JIT, pools, thread pool growth
            var samples = new List<Sample>();
            for (var r = 0; r < runs; r++) samples.Add(await variant.Measure(variant.Size));
            var median = samples.OrderBy(s => s.Value).ElementAt(runs / 2);
            var line = $"RESULT {variant.Figure} system={variant.System} variant={variant.Name} {variant.Key}={Run.Format(median.Value)} " +
                       $"min={Run.Format(samples.Min(s => s.Value))} max={Run.Format(samples.Max(s => s.Value))} " +
                       $"alloc_bytes_per_op={Run.Format(median.AllocBytesPerOp)}";
            if (median.BytesPerActor is { } bytes) line += $" bytes_per_actor={Run.Format(bytes)}";
            // The first skynet variant of a figure is the one the core group measures; peers are compared with it.
            if (variant.System == "skynet") { if (skynet is null) (skynet, skynetBytes) = (median.Value, median.BytesPerActor); }
            else if (skynet is { } ours)
            {
                line += $" skynet_advantage={Run.Format(variant.HigherIsBetter ? ours / median.Value : median.Value / ours)}";
                if (median.BytesPerActor is { } theirs && skynetBytes is { } ourBytes) line += $" skynet_bytes_advantage={Run.Format(theirs / ourBytes)}";
            }
            Console.WriteLine(line + $" loadavg={LoadAverage()}");
        }
        catch (Exception ex)
        {
            failed = true;
            Console.Out.Flush();
            Console.Error.WriteLine($"FAILED {variant.Figure} {variant.System} {variant.Name}: {ex}");
        }
    }
}
return failed ? 1 : 0;

// "1.5.74+abc" -> "1.5.74": the package version, which the assembly version (Proto.Actor's is 1.0.0.0) does not give.
static string PackageVersion(Type type) =>
    (type.Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
        .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "?").Split('+')[0];

// The 1-minute load average, so a figure taken while other work shared the cores says so.
static string LoadAverage()
{
    try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
    catch (IOException) { return "?"; }
}
