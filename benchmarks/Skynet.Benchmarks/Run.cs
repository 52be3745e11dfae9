using System.Globalization;

namespace Skynet.Benchmarks;

/// <summary>One execution of a benchmark (warm-up or measured): sizes, reporting and checks.</summary>
internal sealed class Run(string name, int threads, bool warmup)
{
    /// <summary>A benchmark that takes longer than this is a hang, not a figure.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    public string Name { get; } = name;
    public int Threads { get; } = threads;
    public bool IsWarmup { get; } = warmup;

    /// <summary>The measured size, or a tenth of it (at least 1) for the warm-up.</summary>
    public int Scale(int measured) => IsWarmup ? Math.Max(1, measured / 10) : measured;

    /// <summary>Prints the RESULT line of the measured run; the warm-up prints nothing.</summary>
    public void Result(params (string Key, double Value)[] figures)
    {
        if (IsWarmup) return;
        Console.WriteLine($"RESULT {Name} {string.Join(' ', figures.Select(f => $"{f.Key}={Format(f.Value)}"))}");
    }

    /// <summary>Prints a "# name key=value ..." diagnostic line for the measured run.</summary>
    public void Comment(params (string Key, double Value)[] figures) => Comment(Name, figures);

    /// <summary>Prints a "# label key=value ..." line (a diagnostic variant of this benchmark) for the measured run.</summary>
    public void Comment(string label, params (string Key, double Value)[] figures)
    {
        if (IsWarmup) return;
        Console.WriteLine($"# {label} {string.Join(' ', figures.Select(f => $"{f.Key}={Format(f.Value)}"))}");
    }

    public static void Check(bool condition, string what)
    {
        if (!condition) throw new BenchmarkFailedException(what);
    }

    /// <summary>About four significant digits, invariant culture, never an exponent.</summary>
    public static string Format(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value)) return value.ToString(CultureInfo.InvariantCulture);
        if (value == Math.Floor(value) && Math.Abs(value) < 1e15) return value.ToString("F0", CultureInfo.InvariantCulture);
        if (value == 0) return "0";
        var decimals = 3 - (int)Math.Floor(Math.Log10(Math.Abs(value)));
        if (decimals <= 0)
        {
            var step = Math.Pow(10, -decimals);
            return (Math.Round(value / step) * step).ToString("F0", CultureInfo.InvariantCulture);
        }
        decimals = Math.Min(decimals, 12);
        return Math.Round(value, decimals).ToString("F" + decimals, CultureInfo.InvariantCulture);
    }
}
