namespace Skynet;

/// <summary>
/// Declares a type immutable: in-process calls pass it by reference instead of deep-copying it. You promise that
/// no one changes an instance after it has been sent.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false)]
public sealed class ImmutableAttribute : Attribute;
