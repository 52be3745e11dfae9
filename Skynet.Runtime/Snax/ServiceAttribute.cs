namespace Skynet;

/// <summary>
/// Marks a <c>partial</c> class deriving from <see cref="Service"/> as a snax service: the generator emits its
/// typed proxy (<c>Post</c>/<c>Req</c>), dispatch table, codecs and hot-fixable slots.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ServiceAttribute : Attribute;
