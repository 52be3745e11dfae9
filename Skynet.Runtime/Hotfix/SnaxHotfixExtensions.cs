using Skynet.Hotfix;

namespace Skynet;

/// <summary>
/// skynet's <c>snax.hotfix</c> for <c>[Service]</c> classes: <c>await Snax.Hotfix(proxy, source)</c> compiles C# at
/// run time against the running assemblies and swaps handlers while the service keeps its state.
/// </summary>
/// <remarks>
/// <para>A patch is one C# file of static classes. A static method named like an <c>[Accept]</c>/<c>[Response]</c>
/// handler, taking the service first and then the handler's parameters, replaces that handler:</para>
/// <code>
/// static class Patch
/// {
///     static string? Get(MyDb self, string key) => self._db.GetValueOrDefault(key) ?? "(none)";   // private field
///     static object? Hotfix(MyDb self, string note) => self._db.Count;                          // runs once, inside
/// }
/// </code>
/// <para>The patch reads and writes private members of the running assemblies. An optional
/// <c>Hotfix(TService self, ...)</c> runs once inside the service, after the swap, with the extra arguments; its
/// return value comes back in <see cref="HotfixResult.Result"/>; if it throws, the swap is undone. Calls already
/// running finish in the old code; the next message runs the new one. Each patch loads into its own collectible
/// load context and unloads when rolled back.</para>
/// </remarks>
public static class SnaxHotfixExtensions
{
    /// <summary>Hotfix entry points on <see cref="Snax"/>.</summary>
    extension(Snax)
    {
        /// <summary>Compiles <paramref name="source"/> and applies it to the one service behind <paramref name="proxy"/> (skynet's <c>snax.hotfix(obj, source, ...)</c>).</summary>
        /// <param name="proxy">The service to patch.</param>
        /// <param name="source">The patch's C# source.</param>
        /// <param name="args">Arguments for the patch's <c>Hotfix(self, ...)</c> method.</param>
        /// <exception cref="HotfixCompilationException">The source does not compile; the message lists the compiler's errors. Nothing changed.</exception>
        /// <exception cref="HotfixException">The patch does not fit the service, or its Hotfix method threw. Nothing changed.</exception>
        /// <exception cref="CallFailedException">No service lives at the proxy's address.</exception>
        public static Task<HotfixResult> Hotfix<T>(SnaxProxy<T> proxy, string source, params object?[] args) where T : Service, ISnaxService<T>
        {
            ArgumentNullException.ThrowIfNull(proxy);
            var image = HotfixCompiler.Compile(source, typeof(T).Name + ".hotfix.cs");
            return SnaxHotfix.ApplyImage(proxy.Node, proxy.Target, image, typeof(T).Name + ".hotfix.cs", args, typeof(T));
        }

        /// <summary>Applies a prebuilt patch assembly (the same conventions as source patches) to the one service behind <paramref name="proxy"/>.</summary>
        /// <param name="proxy">The service to patch.</param>
        /// <param name="assemblyPath">The patch assembly's file.</param>
        /// <param name="args">Arguments for the patch's <c>Hotfix(self, ...)</c> method.</param>
        /// <exception cref="HotfixException">Not a .NET assembly, the patch does not fit, or its Hotfix method threw. Nothing changed.</exception>
        public static async Task<HotfixResult> HotfixFromAssembly<T>(SnaxProxy<T> proxy, string assemblyPath, params object?[] args) where T : Service, ISnaxService<T>
        {
            ArgumentNullException.ThrowIfNull(proxy);
            var image = await File.ReadAllBytesAsync(assemblyPath).ConfigureAwait(false);
            return await SnaxHotfix.ApplyImage(proxy.Node, proxy.Target, image, assemblyPath, args, typeof(T)).ConfigureAwait(false);
        }

        /// <summary>The patches applied to the service behind <paramref name="proxy"/>, oldest first.</summary>
        public static Task<IReadOnlyList<HotfixPatch>> Hotfixes<T>(SnaxProxy<T> proxy) where T : Service, ISnaxService<T>
        {
            ArgumentNullException.ThrowIfNull(proxy);
            return SnaxHotfix.List(proxy.Node, proxy.Target);
        }

        /// <summary>Rolls back one patch of the service behind <paramref name="proxy"/>, in any order; what it replaced runs again.</summary>
        /// <exception cref="HotfixException">No such patch is applied to that service.</exception>
        public static Task<HotfixPatch> Rollback<T>(SnaxProxy<T> proxy, int patchId) where T : Service, ISnaxService<T>
        {
            ArgumentNullException.ThrowIfNull(proxy);
            return SnaxHotfix.Rollback(proxy.Node, proxy.Target, patchId);
        }

        /// <summary>Compiles <paramref name="source"/> and applies it to every <typeparamref name="T"/>, running or future.</summary>
        /// <exception cref="HotfixCompilationException">The source does not compile. Nothing changed.</exception>
        /// <exception cref="HotfixException">The patch does not fit, or has a Hotfix(self) method (which needs one instance). Nothing changed.</exception>
        public static HotfixPatch HotfixAll<T>(string source) where T : Service, ISnaxService<T> =>
            SnaxHotfix.ApplyAll<T>(source, typeof(T).Name + ".hotfix.cs");
    }
}
