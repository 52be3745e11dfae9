namespace Skynet;

/// <summary>
/// The ids skynet's <c>snax.interface</c> reserves for its system group, in the order it numbers them
/// (<c>local system = { "init", "exit", "hotfix", "profile" }</c>); a Lua file's own functions follow from
/// <see cref="FirstMethod"/>.
/// </summary>
public static class SnaxLuaIds
{
    /// <summary><c>init</c>: sent by <c>snax.rawnewservice</c> on the service's own node only.</summary>
    public const long Init = 1;

    /// <summary><c>exit</c>: <c>snax.kill(obj, ...)</c>.</summary>
    public const long Exit = 2;

    /// <summary><c>hotfix</c>: <c>snax.hotfix(obj, source, ...)</c>.</summary>
    public const long Hotfix = 3;

    /// <summary><c>profile</c>: <c>snax.profile_info(obj)</c>.</summary>
    public const long Profile = 4;

    /// <summary>The id of the first <c>accept</c>/<c>response</c> function.</summary>
    public const long FirstMethod = 5;
}
