using System.ComponentModel;

namespace Skynet;

/// <summary>
/// The in-process payload of a <see cref="PType.Snax"/> message: the method id, and (in generated subclasses) the
/// arguments, already copied by the caller's proxy. Never bytes: bytes appear only when a call leaves the process.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public class SnaxMessage
{
    /// <summary>The reserved method id of snax's <c>exit</c> (sent by <c>Snax.Kill</c>).</summary>
    public const int ExitMethodId = 0;

    /// <summary>Creates a message for <paramref name="methodId"/> with no arguments.</summary>
    public SnaxMessage(int methodId) => MethodId = methodId;

    /// <summary>The id of the <c>[Accept]</c> or <c>[Response]</c> method this message invokes.</summary>
    public int MethodId { get; }

    /// <inheritdoc/>
    public override string ToString() => $"snax method {MethodId}";
}
