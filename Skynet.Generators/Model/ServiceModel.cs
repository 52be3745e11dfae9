using Skynet.Generators.Diagnostics;
using Skynet.Generators.Helpers;

namespace Skynet.Generators.Model
{
    /// <summary>What a handler returns.</summary>
    internal enum ReturnKind
    {
        Void,
        Value,
        ValueTask,
        ValueTaskOfT,
        Task,
        TaskOfT,
    }

    /// <summary>A parameter of a snax method, <c>OnInit</c> or <c>OnExit</c>. A value, no symbols.</summary>
    /// <param name="Name">The parameter name (without <c>@</c>).</param>
    /// <param name="Type">Its type.</param>
    /// <param name="DefaultValue">The C# text of its default value (<c>= ...</c> without the <c>=</c>), or null when it has none.</param>
    /// <param name="IsParams">True for a <c>params</c> array.</param>
    internal sealed record ParameterModel(string Name, TypeModel Type, string? DefaultValue = null, bool IsParams = false);

    /// <summary>One <c>[Accept]</c>/<c>[Response]</c> method. A value, no symbols.</summary>
    /// <param name="Name">The method name.</param>
    /// <param name="Id">The stable method id.</param>
    /// <param name="IsAccept">True for <c>[Accept]</c>, false for <c>[Response]</c>.</param>
    /// <param name="Return">How it returns.</param>
    /// <param name="ReturnDeclared">The declared return type (fully qualified), for the slot delegate.</param>
    /// <param name="Result">The result type (T of <c>ValueTask&lt;T&gt;</c>, or the sync return type); null when none.</param>
    /// <param name="Parameters">The parameters.</param>
    /// <param name="ArgumentsMayNest">True when the arguments' bytes can nest without bound (a type that contains itself).</param>
    /// <param name="ResultMayNest">The same for the result.</param>
    /// <param name="LuaId">skynet's <c>snax.interface</c> id: 5 + declaration position when no method pins an id, else <paramref name="Id"/>.</param>
    internal sealed record MethodModel(string Name, int Id, bool IsAccept, ReturnKind Return, string ReturnDeclared, TypeModel? Result, EquatableArray<ParameterModel> Parameters,
        bool ArgumentsMayNest = false, bool ResultMayNest = false, int LuaId = 0);

    /// <summary>
    /// Everything the service emitter needs for one <c>[Service]</c> class. Models are values: strings, enums, bools
    /// and <see cref="EquatableArray{T}"/>; never <c>ISymbol</c>, <c>SyntaxNode</c>, <c>Location</c> or <c>Compilation</c>.
    /// </summary>
    internal sealed record ServiceModel(
        string? Namespace,
        string Name,
        string FullName,
        string MetadataName,
        bool IsPublic,
        EquatableArray<MethodModel> Methods,
        bool HasInit,
        ReturnKind InitReturn,
        EquatableArray<ParameterModel> InitParameters,
        bool HasTypedExit,
        ReturnKind ExitReturn,
        EquatableArray<ParameterModel> ExitParameters,
        EquatableArray<DiagnosticInfo> Diagnostics,
        bool ExitMayNest = false);
}
