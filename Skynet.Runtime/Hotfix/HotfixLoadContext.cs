using System.Reflection;
using System.Runtime.Loader;

namespace Skynet.Hotfix;

/// <summary>
/// The collectible load context one patch lives in. Its dependencies resolve from the default context, so the patch
/// binds to the very types the node runs; rolling the patch back unloads the context and the GC reclaims its code.
/// </summary>
sealed class HotfixLoadContext(string name) : AssemblyLoadContext(name, isCollectible: true)
{
    protected override Assembly? Load(AssemblyName assemblyName) => null;

    /// <summary>Loads <paramref name="image"/> into a fresh context.</summary>
    /// <exception cref="BadImageFormatException">The bytes are not a .NET assembly.</exception>
    public static (HotfixLoadContext Context, Assembly Assembly) Load(byte[] image, string origin)
    {
        var context = new HotfixLoadContext("skynet-hotfix: " + origin);
        try
        {
            using var stream = new MemoryStream(image, writable: false);
            return (context, context.LoadFromStream(stream));
        }
        catch
        {
            context.Unload();
            throw;
        }
    }
}
