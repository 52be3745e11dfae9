using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Skynet.Generators.Helpers;
using Skynet.Generators.Model;
using Skynet.Shared;

namespace Skynet.Generators
{
    public sealed partial class ServiceGenerator
    {
        /// <summary>
        /// Emits skynet's Lua snax form of a service (<c>ISnaxLuaService&lt;T&gt;</c>, file <c>{Type}.SnaxLua.g.cs</c>):
        /// per method, typed conversion of Lua values (<c>skynet.pack</c>, <c>LuaTable</c>) to its arguments and of its
        /// result back, so the cluster never reads generated messages by reflection. Never sees a symbol.
        /// </summary>
        /// <remarks>
        /// It shares two names with <see cref="Emitter"/> (its argument classes and slot delegate types) through
        /// <see cref="Emitter.ArgsClass"/> and <see cref="Emitter.SlotType"/>; the exit message class is
        /// <c>__SnaxArgsExit</c> there too.
        /// </remarks>
        internal static class LuaEmitter
        {
            const string Lua = "global::Skynet.LuaArgs";
            const string ValueTask = "global::System.Threading.Tasks.ValueTask";
            const string ExitId = "2"; // snax.interface: init 1, exit 2, hotfix 3, profile 4

            public static void Emit(SourceProductionContext context, ServiceModel? model)
            {
                if (model is null || !model.Diagnostics.IsEmpty) return; // the service emitter reports them
                context.AddSource(model.MetadataName + ".SnaxLua.g.cs", SourceText.From(Render(model), Generated.Encoding));
            }

            public static string Render(ServiceModel model)
            {
                var w = new SourceWriter();
                w.WriteLine(Generated.Header);
                if (model.Namespace is not null) w.OpenBlock("namespace " + model.Namespace);
                var contract = "global::Skynet.ISnaxLuaService<" + model.FullName + ">";
                w.OpenBlock("partial class " + model.Name + " : " + contract);
                WriteLuaSlot(w, model, contract);
                WriteServe(w, model, contract);
                WriteExit(w, model, contract);
                WriteRequestToLua(w, model, contract);
                WriteResultFromLua(w, model, contract);
                w.CloseBlock();
                if (model.Namespace is not null) w.CloseBlock();
                return w.ToString();
            }

            static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);

            static bool HasLuaId(MethodModel method) => method.LuaId > 4;

            static void WriteLuaSlot(SourceWriter w, ServiceModel model, string contract)
            {
                Generated.Plumbing(w);
                w.WriteLine($"static int {contract}.LuaSlot(int luaId) => luaId switch");
                w.OpenBlock();
                for (var i = 0; i < model.Methods.Length; i++)
                    if (HasLuaId(model.Methods[i])) w.WriteLine($"{Id(model.Methods[i].LuaId)} => {Id(i)}, // {model.Methods[i].Name}");
                w.WriteLine("_ => -1,");
                w.CloseBlock(";");
                w.WriteLine();
            }

            static void WriteServe(SourceWriter w, ServiceModel model, string contract)
            {
                Generated.Plumbing(w);
                w.OpenBlock($"static {ValueTask} {contract}.ServeLua({model.FullName} __service, int __luaId, object?[] __args)");
                w.WriteLine($$"""
                    var __overrides = __service.SnaxInstanceSlots;
                    var __slots = global::Skynet.SnaxHotfix.Slots<{{model.FullName}}>();
                    """);
                w.OpenBlock("switch (__luaId)");
                for (var i = 0; i < model.Methods.Length; i++)
                {
                    var m = model.Methods[i];
                    if (!HasLuaId(m)) continue;
                    w.OpenBlock($"case {Id(m.LuaId)}: // {m.Name}");
                    WriteArguments(w, model.Name + "." + m.Name, m.Parameters);
                    w.WriteLine($"var __slot = ({Emitter.SlotType(model, m)})(__overrides?[{Id(i)}] ?? __slots[{Id(i)}]);");
                    WriteCall(w, m, "__slot(" + string.Join(", ", new[] { "__service" }.Concat(m.Parameters.Select(p => Local(p)))) + ")");
                    w.CloseBlock();
                }
                w.WriteLine($$"""
                    default:
                        throw {{Lua}}.UnknownLuaId("{{model.Name}}", __luaId);
                    """);
                w.CloseBlock();
                w.CloseBlock();
                w.WriteLine();
            }

            /// <summary>One local per parameter, named as the user named it, converted from the Lua value at its position.</summary>
            static void WriteArguments(SourceWriter w, string method, EquatableArray<ParameterModel> parameters)
            {
                for (var i = 0; i < parameters.Length; i++)
                {
                    var p = parameters[i];
                    var convert = $"{Lua}.Arg<{p.Type.Declared}>(__args, {Id(i + 1)}, \"{method}\", \"{p.Name}\", static __v0 => {FromLua(p.Type, "__v0", 1)})";
                    // An argument the Lua caller left out (not nil: absent) takes the C# default, as a C# caller would.
                    if (p.DefaultValue is not null) convert = $"__args.Length > {Id(i + 1)} ? {convert} : {p.DefaultValue}";
                    w.WriteLine($"var {Local(p)} = {convert};");
                }
            }

            static string Local(ParameterModel p) => TypeEmit.Escape(p.Name);

            static void WriteCall(SourceWriter w, MethodModel m, string call)
            {
                w.WriteLine((m.IsAccept, m.Return) switch
                {
                    (true, ReturnKind.Void) => $$"""
                        {{call}};
                        return default;
                        """,
                    (true, ReturnKind.Value) => $$"""
                        _ = {{call}};
                        return default;
                        """,
                    (true, ReturnKind.ValueTask) => $"return {call};",
                    (true, ReturnKind.ValueTaskOfT) => $"return new {ValueTask}({call}.AsTask());",
                    (true, _) => $"return new {ValueTask}({call});",
                    (false, ReturnKind.Void) => $$"""
                        {{call}};
                        __service.Ret(global::System.Array.Empty<object?>()); // skynet.ret(skynet.pack()): no values
                        return default;
                        """,
                    (false, ReturnKind.Value) => $$"""
                        __service.Ret({{ToLua(m.Result!, call, 0)}});
                        return default;
                        """,
                    (false, ReturnKind.ValueTask or ReturnKind.Task) => $"return {Lua}.Reply(__service, {call});",
                    _ => $"return {Lua}.Reply<{m.Result!.Declared}>(__service, {call}, static __r0 => {ToLua(m.Result!, "__r0", 1)});",
                });
            }

            static void WriteExit(SourceWriter w, ServiceModel model, string contract)
            {
                Generated.Plumbing(w);
                w.OpenBlock($"static void {contract}.ExitFromLua({model.FullName} __service, object?[] __args)");
                WriteArguments(w, model.Name + ".OnExit", model.ExitParameters);
                w.WriteLine("__service.Exit(" + string.Join(", ", model.ExitParameters.Select(Local)) + ");");
                w.CloseBlock();
                w.WriteLine();
            }

            static void WriteRequestToLua(SourceWriter w, ServiceModel model, string contract)
            {
                Generated.Plumbing(w);
                w.OpenBlock($"static object?[] {contract}.RequestToLua(global::Skynet.SnaxMessage __request)");
                w.OpenBlock("switch (__request.MethodId)");
                for (var i = 0; i < model.Methods.Length; i++)
                {
                    var m = model.Methods[i];
                    if (HasLuaId(m)) WriteLuaValues(w, $"case {Id(m.Id)}: // {m.Name}", Id(m.LuaId), Emitter.ArgsClass(model, i), m.Parameters);
                    else w.WriteLine($$"""
                        case {{Id(m.Id)}}: // {{m.Name}}
                            throw {{Lua}}.ReservedId("{{model.Name}}.{{m.Name}}", {{Id(m.LuaId)}});
                        """);
                }
                WriteLuaValues(w, "case global::Skynet.SnaxMessage.ExitMethodId: // exit (snax.kill)", ExitId, "__SnaxArgsExit", model.ExitParameters);
                w.WriteLine($$"""
                    default:
                        throw {{Lua}}.UnknownMethod("{{model.Name}}", __request.MethodId);
                    """);
                w.CloseBlock();
                w.CloseBlock();
                w.WriteLine();
            }

            static void WriteLuaValues(SourceWriter w, string label, string luaId, string argsClass, EquatableArray<ParameterModel> parameters)
            {
                if (parameters.IsEmpty)
                {
                    w.WriteLine($$"""
                        {{label}}
                            return new object?[] { {{luaId}}L };
                        """);
                    return;
                }
                w.WriteLine($$"""
                    {{label}}
                    {
                        var __a = ({{argsClass}})__request;
                        return new object?[] { {{luaId}}L, {{string.Join(", ", parameters.Select((p, i) => ToLua(p.Type, "__a.A" + Id(i), 0)))}} };
                    }
                    """);
            }

            static void WriteResultFromLua(SourceWriter w, ServiceModel model, string contract)
            {
                Generated.Plumbing(w);
                w.OpenBlock($"static object? {contract}.ResultFromLua(int __methodId, object? __value)");
                w.OpenBlock("switch (__methodId)");
                for (var i = 0; i < model.Methods.Length; i++)
                {
                    var m = model.Methods[i];
                    if (m.Result is null) continue;
                    w.WriteLine($$"""
                        case {{Id(m.Id)}}: // {{m.Name}}
                            return {{FromLua(m.Result, "__value", 0)}};
                        """);
                }
                w.WriteLine("""
                    default:
                        return null; // accept methods, responses without a result, exit
                    """);
                w.CloseBlock();
                w.CloseBlock();
            }

            /// <summary>A C# expression converting the Lua value <paramref name="value"/> to <paramref name="type"/>.</summary>
            static string FromLua(TypeModel type, string value, int depth)
            {
                var v = "__v" + Id(depth);
                string Element(TypeModel t) => $"static {v} => {FromLua(t, v, depth + 1)}";
                switch (type.Copy)
                {
                    case CopyKind.Array:
                        return $"{Lua}.ToArray<{type.Args[0].Declared}>({value}, {Element(type.Args[0])})!";
                    case CopyKind.List:
                        return $"{Lua}.ToList<{type.Args[0].Declared}>({value}, {Element(type.Args[0])})!";
                    case CopyKind.HashSet:
                        return $"{Lua}.ToHashSet<{type.Args[0].Declared}>({value}, {Element(type.Args[0])})!";
                    case CopyKind.Dictionary:
                        return $"{Lua}.ToDictionary<{type.Args[0].Declared}, {type.Args[1].Declared}>({value}, {Element(type.Args[0])}, {Element(type.Args[1])})!";
                    case CopyKind.Nullable:
                        return $"{Lua}.ToNullable<{type.Args[0].Bare}>({value}, {Element(type.Args[0])})";
                }
                if (NullableStruct(type) is { } inner) return $"{Lua}.ToNullable<{inner}>({value}, static {v} => {Lua}.To<{inner}>({v}))";
                return $"{Lua}.To<{type.Declared}>({value})";
            }

            /// <summary>A C# expression converting <paramref name="value"/> of <paramref name="type"/> to a Lua value.</summary>
            static string ToLua(TypeModel type, string value, int depth)
            {
                var v = "__e" + Id(depth);
                string Element(TypeModel t) => $"static {v} => {ToLua(t, v, depth + 1)}";
                switch (type.Copy)
                {
                    case CopyKind.Array:
                    case CopyKind.List:
                    case CopyKind.HashSet:
                        return $"{Lua}.FromSequence<{type.Args[0].Declared}>({value}, {Element(type.Args[0])})";
                    case CopyKind.Dictionary:
                        return $"{Lua}.FromDictionary<{type.Args[0].Declared}, {type.Args[1].Declared}>({value}, {Element(type.Args[0])}, {Element(type.Args[1])})";
                    case CopyKind.Nullable:
                        return $"{Lua}.FromNullable<{type.Args[0].Bare}>({value}, {Element(type.Args[0])})";
                }
                if (NullableStruct(type) is { } inner) return $"{Lua}.FromNullable<{inner}>({value}, static {v} => {Lua}.From<{inner}>({v}))";
                return $"{Lua}.From<{type.Declared}>({value})";
            }

            /// <summary>The struct of a <c>T?</c> that is copied as a whole (so the model carries no element type), or null.</summary>
            static string? NullableStruct(TypeModel type) =>
                type.IsValueType && type.Bare.EndsWith("?", System.StringComparison.Ordinal) ? type.Bare.Substring(0, type.Bare.Length - 1) : null;
        }
    }
}
