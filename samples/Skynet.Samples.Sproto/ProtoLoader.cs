using Skynet.Sproto;

namespace Skynet.Samples.Sproto;

/// <summary>skynet's <c>examples/protoloader.lua</c>: saves the schemas in the process-wide slots 1 and 2.</summary>
public sealed class ProtoLoader : Service
{
    /// <inheritdoc/>
    protected override ValueTask OnStart(object?[] args)
    {
        SprotoLoader.Save(Proto.C2S, 1);
        SprotoLoader.Save(Proto.S2C, 2);
        // Stays alive, as in skynet (there, exiting could unload sproto.core and invalidate the slots).
        return default;
    }
}
