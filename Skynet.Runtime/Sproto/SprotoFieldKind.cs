namespace Skynet.Sproto;

/// <summary>The built-in kinds of a sproto field, numbered as sproto's <c>SPROTO_T*</c> constants.</summary>
public enum SprotoFieldKind
{
    /// <summary><c>integer</c> (signed 64-bit), or a decimal fixed-point number when <see cref="SprotoField.Decimal"/> is set.</summary>
    Integer = 0,

    /// <summary><c>boolean</c>.</summary>
    Boolean = 1,

    /// <summary><c>string</c> (UTF-8) or <c>binary</c> (<see cref="SprotoField.IsBinary"/>).</summary>
    String = 2,

    /// <summary><c>double</c> (IEEE 754, 8 bytes little-endian).</summary>
    Double = 3,

    /// <summary>A user-defined type (<see cref="SprotoField.Struct"/>).</summary>
    Struct = 4,
}
