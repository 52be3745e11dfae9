using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Skynet.Generators.Helpers;
using Skynet.Generators.Model;

namespace Skynet.Generators
{
    public sealed partial class ServiceGenerator
    {
        /// <summary>Turns a <see cref="ServiceModel"/> into source text; never sees a symbol.</summary>
        internal static class Emitter
        {
            const string ValueTask = "global::System.Threading.Tasks.ValueTask";
            const string Snax = "global::Skynet.Snax";

            public static void Emit(SourceProductionContext context, ServiceModel? model)
            {
                if (model is null) return;
                foreach (var diagnostic in model.Diagnostics) context.ReportDiagnostic(diagnostic.ToDiagnostic());
                if (!model.Diagnostics.IsEmpty) return;
                context.AddSource(model.MetadataName + ".Snax.g.cs", SourceText.From(Render(model), Generated.Encoding));
            }

            public static string Render(ServiceModel model)
            {
                var w = new SourceWriter();
                w.WriteLine(Generated.Header);
                if (model.Namespace is not null) w.OpenBlock($"namespace {model.Namespace}");
                WriteServicePart(w, model);
                w.WriteLine();
                WriteExtensions(w, model);
                if (model.Namespace is not null) w.CloseBlock();
                return w.ToString();
            }

            static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);

            internal static string ArgsClass(ServiceModel model, int index) => $"__SnaxArgs{Id(index)}_{model.Methods[index].Name}";

            internal static string SlotType(ServiceModel model, MethodModel method)
            {
                var types = new[] { model.FullName }.Concat(method.Parameters.Select(p => p.Type.Declared));
                return method.Return == ReturnKind.Void
                    ? $"global::System.Action<{string.Join(", ", types)}>"
                    : $"global::System.Func<{string.Join(", ", types.Concat(new[] { method.ReturnDeclared }))}>";
            }

            static string ParameterList(EquatableArray<ParameterModel> parameters) =>
                string.Join(", ", parameters.Select(p => $"{(p.IsParams ? "params " : "")}{p.Type.Declared} {Escape(p.Name)}{(p.DefaultValue is null ? "" : $" = {p.DefaultValue}")}"));

            static string Escape(string name) => TypeEmit.Escape(name);

            /// <summary><paramref name="name"/>, or a variant of it that no user parameter in <paramref name="parameters"/> uses.</summary>
            static string Unique(string name, EquatableArray<ParameterModel> parameters)
            {
                while (parameters.Any(p => p.Name == name)) name = "_" + name;
                return name;
            }

            static string NewMessage(string argsClass, int id, EquatableArray<ParameterModel> parameters, bool copy) =>
                parameters.IsEmpty
                    ? $"new global::Skynet.SnaxMessage({Id(id)})"
                    : $"new {argsClass}({string.Join(", ", parameters.Select(p => copy ? TypeEmit.Copy(p.Type, Escape(p.Name)) : Escape(p.Name)))})";

            static void WriteServicePart(SourceWriter w, ServiceModel model)
            {
                w.OpenBlock($"partial class {model.Name} : global::Skynet.ISnaxService<{model.FullName}>");
                WriteSlots(w, model);
                WriteStart(w, model);
                WriteExit(w, model);
                WriteDispatch(w, model);
                WriteCodecs(w, model);
                for (var i = 0; i < model.Methods.Length; i++)
                    if (!model.Methods[i].Parameters.IsEmpty) WriteArgsClass(w, ArgsClass(model, i), model.Methods[i].Id, model.Methods[i].Parameters);
                WriteViews(w, model);
                w.CloseBlock();
            }

            static void WriteSlots(SourceWriter w, ServiceModel model)
            {
                w.WriteLine($$"""
                    static readonly global::Skynet.SnaxSlotTable __snaxSlots = __SnaxCreateSlots();

                    {{Generated.CodeAttribute}}
                    {{Generated.NonUserCode}}
                    static global::Skynet.SnaxSlotTable global::Skynet.ISnaxService<{{model.FullName}}>.SnaxSlots => __snaxSlots;

                    {{Generated.CodeAttribute}}
                    {{Generated.StepThrough}}
                    """);
                w.OpenBlock("static global::Skynet.SnaxSlotTable __SnaxCreateSlots()");
                for (var i = 0; i < model.Methods.Length; i++)
                {
                    var m = model.Methods[i];
                    // The user's parameter names, so the locals window shows them when stepping through.
                    var target = Unique("self", m.Parameters);
                    var callArgs = string.Join(", ", m.Parameters.Select(p => Escape(p.Name)));
                    var lambdaArgs = m.Parameters.IsEmpty ? target : $"{target}, {callArgs}";
                    // The lambda is stepped through, so F11 in the dispatch lands in the user's method.
                    w.WriteLine($$"""
                        var slot{{Id(i)}} = new {{SlotType(model, m)}}(
                            {{Generated.StepThrough}}
                            static ({{lambdaArgs}}) => {{target}}.{{Escape(m.Name)}}({{callArgs}}));
                        """);
                }
                w.WriteLine("return new global::Skynet.SnaxSlotTable(");
                w.Indent();
                w.WriteLine("new global::Skynet.SnaxMethodInfo[]");
                w.OpenBlock();
                for (var i = 0; i < model.Methods.Length; i++)
                {
                    var m = model.Methods[i];
                    var kind = m.IsAccept ? "Accept" : "Response";
                    w.WriteLine($"new global::Skynet.SnaxMethodInfo(\"{m.Name}\", {Id(m.Id)}, global::Skynet.SnaxMethodKind.{kind}, slot{Id(i)}.GetType()),");
                }
                w.CloseBlock(",");
                w.WriteLine($"new global::System.Delegate[] {{ {string.Join(", ", model.Methods.Select((_, i) => $"slot{Id(i)}"))} }});");
                w.Unindent();
                w.CloseBlock();
                w.WriteLine();
            }

            static void WriteStart(SourceWriter w, ServiceModel model)
            {
                w.WriteLine($$"""
                    /// <inheritdoc/>
                    {{Generated.CodeAttribute}}
                    {{Generated.StepThrough}}
                    """);
                w.OpenBlock($"protected override {ValueTask} OnStart(object?[] args)");
                w.WriteLine("Dispatch(global::Skynet.PType.Snax, __SnaxDispatch);");
                if (model.HasInit)
                {
                    var n = Id(model.InitParameters.Length);
                    if (model.InitParameters.Length > 0)
                    {
                        var message = $"{model.Name}.OnInit takes {n} argument(s); \" + args.Length + \" were given. Start it with Snax.NewService<{model.Name}>(...).";
                        w.WriteLine($"if (args.Length < {n}) throw new global::System.ArgumentException(\"{message}\", nameof(args));");
                    }
                    var args = model.InitParameters.Select((p, i) => $"({p.Type.Declared})args[{Id(i)}]{(p.Type.Declared.EndsWith("?") ? "" : "!")}");
                    WriteLifecycleReturn(w, model.InitReturn, $"OnInit({string.Join(", ", args)})");
                }
                else
                {
                    w.WriteLine("return default;");
                }
                w.CloseBlock();
                w.WriteLine();
            }

            static void WriteExit(SourceWriter w, ServiceModel model)
            {
                var parameters = ParameterList(model.ExitParameters);
                w.WriteLine($$"""
                    global::Skynet.SnaxMessage? __snaxExit;

                    {{Generated.CodeAttribute}}
                    {{Generated.StepThrough}}
                    internal static global::Skynet.SnaxMessage __SnaxExitMessage({{parameters}}) => {{NewMessage("__SnaxArgsExit", 0, model.ExitParameters, copy: true)}};

                    """);
                if (!model.HasTypedExit) return;
                var args = model.ExitParameters.Select((p, i) => $"exit is null ? {p.DefaultValue ?? "default!"} : exit.A{Id(i)}");
                w.WriteLine($$"""
                    /// <summary>Exits this service after the current message (snax <c>exit(...)</c>); <c>OnExit</c> runs with these arguments.</summary>
                    {{Generated.CodeAttribute}}
                    {{Generated.StepThrough}}
                    public void Exit({{parameters}})
                    {
                        __snaxExit = {{NewMessage("__SnaxArgsExit", 0, model.ExitParameters, copy: false)}};
                        base.Exit();
                    }

                    /// <inheritdoc/>
                    {{Generated.CodeAttribute}}
                    {{Generated.StepThrough}}
                    """);
                w.OpenBlock($"protected override {ValueTask} OnExit()");
                w.WriteLine("var exit = __snaxExit as __SnaxArgsExit;");
                WriteLifecycleReturn(w, model.ExitReturn, $"OnExit({string.Join(", ", args)})");
                w.CloseBlock();
                w.WriteLine();
                WriteArgsClass(w, "__SnaxArgsExit", 0, model.ExitParameters);
            }

            static void WriteLifecycleReturn(SourceWriter w, ReturnKind kind, string call)
            {
                switch (kind)
                {
                    case ReturnKind.ValueTask:
                        w.WriteLine($"return {call};");
                        break;
                    case ReturnKind.Task:
                        w.WriteLine($"return new {ValueTask}({call});");
                        break;
                    default:
                        w.WriteLine($$"""
                            {{call}};
                            return default;
                            """);
                        break;
                }
            }

            static void WriteArgsClass(SourceWriter w, string name, int id, EquatableArray<ParameterModel> parameters)
            {
                var constructorParameters = string.Join(", ", parameters.Select((p, i) => $"{p.Type.Declared} a{Id(i)}"));
                Generated.Plumbing(w);
                w.OpenBlock($"sealed class {name} : global::Skynet.SnaxMessage");
                for (var i = 0; i < parameters.Length; i++) w.WriteLine($"public readonly {parameters[i].Type.Declared} A{Id(i)};");
                w.WriteLine();
                w.OpenBlock($"public {name}({constructorParameters}) : base({Id(id)})");
                for (var i = 0; i < parameters.Length; i++) w.WriteLine($"A{Id(i)} = a{Id(i)};");
                w.CloseBlock();
                w.CloseBlock();
                w.WriteLine();
            }

            static void WriteDispatch(SourceWriter w, ServiceModel model)
            {
                Generated.Plumbing(w);
                w.OpenBlock($"{ValueTask} __SnaxDispatch(global::Skynet.Message message)");
                w.WriteLine("""
                    if (message.Payload is not global::Skynet.SnaxMessage request) throw global::Skynet.SnaxReplies.UnknownMessage(this, message.Payload);
                    var overrides = SnaxInstanceSlots;
                    """);
                w.OpenBlock("switch (request.MethodId)");
                for (var i = 0; i < model.Methods.Length; i++)
                {
                    var m = model.Methods[i];
                    w.WriteLine($"case {Id(m.Id)}: // {m.Name}");
                    w.OpenBlock();
                    if (!m.Parameters.IsEmpty) w.WriteLine($"var args = ({ArgsClass(model, i)})request;");
                    w.WriteLine($"var slot = ({SlotType(model, m)})(overrides?[{Id(i)}] ?? __snaxSlots[{Id(i)}]);");
                    var call = $"slot({string.Join(", ", new[] { "this" }.Concat(m.Parameters.Select((_, j) => $"args.A{Id(j)}")))})";
                    WriteInvoke(w, m, call);
                    w.CloseBlock();
                }
                w.WriteLine("""
                    case global::Skynet.SnaxMessage.ExitMethodId: // exit
                    {
                        __snaxExit = request;
                        base.Exit();
                        Ret(null);
                        return default;
                    }
                    default:
                        throw global::Skynet.SnaxReplies.UnknownMessage(this, request);
                    """);
                w.CloseBlock();
                w.CloseBlock();
                w.WriteLine();
            }

            static void WriteInvoke(SourceWriter w, MethodModel m, string call)
            {
                if (m.IsAccept)
                {
                    w.WriteLine(m.Return switch
                    {
                        ReturnKind.Void => $$"""
                            {{call}};
                            return default;
                            """,
                        ReturnKind.Value => $$"""
                            _ = {{call}};
                            return default;
                            """,
                        ReturnKind.ValueTask => $"return {call};",
                        ReturnKind.ValueTaskOfT => $"return new {ValueTask}({call}.AsTask());",
                        _ => $"return new {ValueTask}({call});",
                    });
                    return;
                }
                var result = m.Result;
                w.WriteLine(m.Return switch
                {
                    ReturnKind.Void => $$"""
                        {{call}};
                        Ret(null);
                        return default;
                        """,
                    ReturnKind.Value => $$"""
                        Ret({{TypeEmit.Copy(result!, call)}});
                        return default;
                        """,
                    ReturnKind.ValueTask or ReturnKind.Task => $"return global::Skynet.SnaxReplies.Reply(this, {call});",
                    _ => TypeEmit.NeedsCopy(result!)
                        ? $"return global::Skynet.SnaxReplies.Reply<{TypeEmit.ValueName(result!)}, {TypeEmit.Copier(result!)}>(this, {call});"
                        : $"return global::Skynet.SnaxReplies.Reply<{result!.Declared}, global::Skynet.Codecs.IdentityCopier<{result.Declared}>>(this, {call});",
                });
            }

            const string Bytes = "global::Skynet.Codecs.SnaxBytes";
            const string BufferWriter = "global::System.Buffers.IBufferWriter<byte>";
            const string Serializer = "global::MemoryPack.MemoryPackSerializer";
            const string Span = "global::System.ReadOnlySpan<byte>";

            /// <summary>
            /// The snax byte form (docs/codecs.md): a request is the method id (int32), the arguments' object header
            /// (their count, as MemoryPack heads a sequential object) and each argument as <c>MemoryPackSerializer</c>
            /// writes it; a result is the value as <c>MemoryPackSerializer</c> writes it. The values' bytes are all
            /// MemoryPack's (its thread-pooled writer and reader state); only the five-byte request head is ours.
            /// </summary>
            static void WriteCodecs(SourceWriter w, ServiceModel model)
            {
                var iface = $"global::Skynet.ISnaxService<{model.FullName}>";
                var service = $"\"{model.Name}\"";

                Generated.Plumbing(w);
                w.OpenBlock($"static void {iface}.PackRequest({BufferWriter} output, global::Skynet.SnaxMessage message)");
                w.OpenBlock("try");
                w.OpenBlock("switch (message.MethodId)");
                for (var i = 0; i < model.Methods.Length; i++)
                    WritePackCase(w, model, model.Methods[i].Id, model.Methods[i].Name, ArgsClass(model, i), model.Methods[i].Parameters);
                WritePackCase(w, model, 0, "exit", "__SnaxArgsExit", model.ExitParameters);
                WriteUnknownMethod(w, service, "message.MethodId");
                w.CloseBlock();
                w.CloseBlock();
                WriteCatch(w, "CannotPack", service, "request");
                w.CloseBlock();
                w.WriteLine();

                Generated.Plumbing(w);
                w.OpenBlock($"static global::Skynet.SnaxMessage __SnaxReadRequest(int _, {Span} data)");
                w.OpenBlock("try");
                w.WriteLine($"var id = {Bytes}.ReadRequestHead(ref data, out var count);");
                w.OpenBlock("switch (id)");
                for (var i = 0; i < model.Methods.Length; i++)
                    WriteUnpackCase(w, model, model.Methods[i].Id, model.Methods[i].Name, ArgsClass(model, i), model.Methods[i].Parameters);
                WriteUnpackCase(w, model, 0, "exit", "__SnaxArgsExit", model.ExitParameters);
                WriteUnknownMethod(w, service, "id");
                w.CloseBlock();
                w.CloseBlock();
                WriteCatch(w, "Malformed", service, "request");
                w.CloseBlock();
                w.WriteLine();
                var nestingRequests = model.Methods.Where(m => m.ArgumentsMayNest).Select(m => Id(m.Id)).ToList();
                if (model.ExitMayNest) nestingRequests.Add("0");
                WriteUnpackEntries(w, "global::Skynet.SnaxMessage", $"{iface}.UnpackRequest(", "__SnaxReadRequest", false, nestingRequests);

                // Methods without a result share the "return" of exit's case.
                var noResult = model.Methods.Where(m => m.Result is null || m.IsAccept).Select(m => $"case {Id(m.Id)}: // {m.Name}").ToList();

                Generated.Plumbing(w);
                w.OpenBlock($"static void {iface}.PackResult({BufferWriter} output, int methodId, object? result)");
                w.OpenBlock("try");
                w.OpenBlock("switch (methodId)");
                foreach (var m in model.Methods)
                {
                    if (m.Result is not { } r || m.IsAccept) continue;
                    var value = r.IsValueType ? $"({r.Bare})result!" : $"({r.Bare}?)result";
                    w.WriteLine(r.Crosses
                        ? $$"""
                            case {{Id(m.Id)}}: // {{m.Name}}
                                {{Serializer}}.Serialize(output, {{value}});
                                return;
                            """
                        : $$"""
                            case {{Id(m.Id)}}: // {{m.Name}}
                                throw {{Bytes}}.NotCrossable({{service}}, "{{m.Name}}", "{{r.Bare}}");
                            """);
                }
                foreach (var line in noResult) w.WriteLine(line);
                w.WriteLine("""
                    case 0: // exit
                        return;
                    """);
                WriteUnknownMethod(w, service, "methodId");
                w.CloseBlock();
                w.CloseBlock();
                WriteCatch(w, "CannotPack", service, "result");
                w.CloseBlock();
                w.WriteLine();

                Generated.Plumbing(w);
                w.OpenBlock($"static object? __SnaxReadResult(int methodId, {Span} data)");
                w.OpenBlock("try");
                w.OpenBlock("switch (methodId)");
                foreach (var m in model.Methods)
                {
                    if (m.Result is not { } r || m.IsAccept) continue;
                    w.WriteLine(r.Crosses
                        ? $$"""
                            case {{Id(m.Id)}}: // {{m.Name}}
                            {
                                {{Local(r)}} value = default;
                                {{Bytes}}.EnsureEnd(data, {{Serializer}}.Deserialize(data, ref value));
                                return value;
                            }
                            """
                        : $$"""
                            case {{Id(m.Id)}}: // {{m.Name}}
                            {
                                throw {{Bytes}}.NotCrossable({{service}}, "{{m.Name}}", "{{r.Bare}}");
                            }
                            """);
                }
                foreach (var line in noResult) w.WriteLine(line);
                w.WriteLine($$"""
                    case 0: // exit
                        {{Bytes}}.EnsureEnd(data, 0);
                        return null;
                    """);
                WriteUnknownMethod(w, service, "methodId");
                w.CloseBlock();
                w.CloseBlock();
                WriteCatch(w, "Malformed", service, "result");
                w.CloseBlock();
                w.WriteLine();
                WriteUnpackEntries(w, "object?", $"{iface}.UnpackResult(int methodId, ", "__SnaxReadResult", true,
                    model.Methods.Where(m => m.ResultMayNest).Select(m => Id(m.Id)).ToList());
            }

            /// <summary>The type of a local a value is deserialized into: nullable for reference types (bad input may hold null).</summary>
            static string Local(TypeModel type) => type.IsValueType ? type.Declared : $"{type.Bare}?";

            static void WriteUnknownMethod(SourceWriter w, string service, string id) =>
                w.WriteLine($$"""
                    default:
                        throw {{Bytes}}.UnknownMethod({{service}}, {{id}});
                    """);

            static void WriteCatch(SourceWriter w, string error, string service, string what) =>
                w.WriteLine($$"""
                    catch (global::System.Exception e) when ({{Bytes}}.IsCodecFailure(e))
                    {
                        throw {{Bytes}}.{{error}}({{service}}, "{{what}}", e);
                    }
                    """);

            /// <summary>
            /// The span and sequence entry points. Payloads of a type that can contain itself (<paramref name="nesting"/>
            /// method ids) decode where the stack can follow them (SnaxBytes.DecodeNested): MemoryPack's reader does not
            /// bound nesting, and a stack overflow would end the process.
            /// </summary>
            static void WriteUnpackEntries(SourceWriter w, string returns, string entry, string read, bool byMethodId, System.Collections.Generic.List<string> nesting)
            {
                var id = byMethodId ? "methodId" : "0";
                var span = read + "Span";
                Generated.Plumbing(w);
                w.OpenBlock($"static {returns} {span}(int methodId, {Span} data)");
                if (nesting.Count > 0)
                {
                    var peek = byMethodId ? "methodId" : $"{Bytes}.PeekInt32(data)";
                    w.WriteLine($$"""
                        if ({{Bytes}}.NeedsOwnStack(data.Length) && {{peek}} is {{string.Join(" or ", nesting)}})
                            return {{Bytes}}.DecodeNested(methodId, data, {{read}});
                        """);
                }
                w.WriteLine($"return {read}(methodId, data);");
                w.CloseBlock();
                w.WriteLine($$"""

                    {{Generated.CodeAttribute}}
                    {{Generated.StepThrough}}
                    static {{returns}} {{entry}}{{Span}} data) => {{span}}({{id}}, data);

                    {{Generated.CodeAttribute}}
                    {{Generated.StepThrough}}
                    static {{returns}} {{entry}}in global::System.Buffers.ReadOnlySequence<byte> data) => {{Bytes}}.Decode({{id}}, in data, {{span}});

                    """);
            }

            static void WritePackCase(SourceWriter w, ServiceModel model, int id, string name, string argsClass, EquatableArray<ParameterModel> parameters)
            {
                w.WriteLine($"case {Id(id)}: // {name}");
                w.OpenBlock();
                var missing = parameters.FirstOrDefault(p => !p.Type.Crosses);
                if (missing is not null)
                {
                    w.WriteLine($"throw {Bytes}.NotCrossable(\"{model.Name}\", \"{name}\", \"{missing.Type.Bare}\");");
                    w.CloseBlock();
                    return;
                }
                if (!parameters.IsEmpty) w.WriteLine($"var args = ({argsClass})message;");
                w.WriteLine($"{Bytes}.WriteRequestHead(output, {Id(id)}, {Id(parameters.Length)});");
                for (var i = 0; i < parameters.Length; i++) w.WriteLine($"{Serializer}.Serialize(output, args.A{Id(i)});");
                w.WriteLine("return;");
                w.CloseBlock();
            }

            static void WriteUnpackCase(SourceWriter w, ServiceModel model, int id, string name, string argsClass, EquatableArray<ParameterModel> parameters)
            {
                w.WriteLine($"case {Id(id)}: // {name}");
                w.OpenBlock();
                var missing = parameters.FirstOrDefault(p => !p.Type.Crosses);
                if (missing is not null)
                {
                    w.WriteLine($"throw {Bytes}.NotCrossable(\"{model.Name}\", \"{name}\", \"{missing.Type.Bare}\");");
                    w.CloseBlock();
                    return;
                }
                w.WriteLine($"{Bytes}.CheckArgumentCount(count, {Id(parameters.Length)}, \"{model.Name}\", \"{name}\");");
                for (var i = 0; i < parameters.Length; i++)
                {
                    w.WriteLine($$"""
                        {{Local(parameters[i].Type)}} a{{Id(i)}} = default;
                        data = data.Slice({{Serializer}}.Deserialize(data, ref a{{Id(i)}}));
                        """);
                }
                w.WriteLine($"{Bytes}.EnsureEnd(data, 0);");
                w.WriteLine(parameters.IsEmpty
                    ? $"return new global::Skynet.SnaxMessage({Id(id)});"
                    : $"return new {argsClass}({string.Join(", ", parameters.Select((p, i) => $"a{Id(i)}{(p.Type.IsValueType ? "" : "!")}"))});");
                w.CloseBlock();
            }

            static void WriteViews(SourceWriter w, ServiceModel model)
            {
                var proxy = $"global::Skynet.SnaxProxy<{model.FullName}>";
                foreach (var accept in new[] { true, false })
                {
                    var view = accept ? "SnaxPostView" : "SnaxReqView";
                    var iface = accept ? "global::Skynet.ISnaxPostView" : "global::Skynet.ISnaxRequestView";
                    var summary = accept
                        ? $"One-way calls to a <see cref=\"{model.Name}\"/>: its <c>[Accept]</c> methods (snax <c>post</c>)."
                        : $"Requests to a <see cref=\"{model.Name}\"/>: its <c>[Response]</c> methods (snax <c>req</c>).";
                    // A handler named Target takes the public name; the interface's property stays reachable.
                    var target = model.Methods.Any(m => m.IsAccept == accept && m.Name == "Target")
                        ? $"global::Skynet.Address {iface}.Target"
                        : "public global::Skynet.Address Target";
                    // Reached as proxy.Post / proxy.Req: the type's name and constructor are nothing to type.
                    w.WriteLine();
                    w.WriteLine($$"""
                        /// <summary>{{summary}}</summary>
                        {{Generated.CodeAttribute}}
                        {{Generated.StepThrough}}
                        {{Generated.Hidden}}
                        """);
                    w.OpenBlock($"public readonly struct {view} : {iface}");
                    w.WriteLine($$"""
                        readonly {{proxy}} _proxy;

                        /// <summary>Creates the view over <paramref name="proxy"/>.</summary>
                        {{Generated.Hidden}}
                        public {{view}}({{proxy}} proxy) => _proxy = proxy;

                        /// <inheritdoc/>
                        {{target}} => this._proxy.Target;
                        """);
                    const string fails = "a throw in the handler fails with <see cref=\"global::Skynet.CallFailedException\"/>";
                    for (var i = 0; i < model.Methods.Length; i++)
                    {
                        var m = model.Methods[i];
                        if (m.IsAccept != accept) continue;
                        var message = NewMessage(ArgsClass(model, i), m.Id, m.Parameters, copy: true);
                        // ToString(), GetHashCode() and GetType() would hide the struct's inherited members (CS0114, CS0108).
                        var hides = m.Parameters.IsEmpty && m.Name is "ToString" or "GetHashCode" or "GetType" ? "new " : "";
                        var signature = $"{Escape(m.Name)}({ParameterList(m.Parameters)})";
                        w.WriteLine();
                        if (accept)
                        {
                            w.WriteLine($$"""
                                /// <summary>Posts <c>{{m.Name}}</c>: returns at once; mutable arguments are copied now.</summary>
                                public {{hides}}void {{signature}} => this._proxy.PostMessage({{message}});
                                """);
                        }
                        else if (m.Result is { } result)
                        {
                            w.WriteLine($$"""
                                /// <summary>Requests <c>{{m.Name}}</c> and returns its result; {{fails}}.</summary>
                                public {{hides}}{{ValueTask}}<{{result.Declared}}> {{signature}} => this._proxy.Request<{{result.Declared}}>({{message}});
                                """);
                        }
                        else
                        {
                            w.WriteLine($$"""
                                /// <summary>Requests <c>{{m.Name}}</c> and waits until it finished; {{fails}}.</summary>
                                public {{hides}}{{ValueTask}} {{signature}} => this._proxy.Request({{message}});
                                """);
                        }
                    }
                    w.CloseBlock();
                }
            }

            static void WriteExtensions(SourceWriter w, ServiceModel model)
            {
                var self = model.FullName;
                var proxy = $"global::Skynet.SnaxProxy<{self}>";
                var task = $"global::System.Threading.Tasks.Task<{proxy}>";
                var access = model.IsPublic ? "public" : "internal";
                var initList = ParameterList(model.InitParameters);
                var initArgs = $"new object?[] {{ {string.Join(", ", model.InitParameters.Select(p => TypeEmit.Copy(p.Type, Escape(p.Name))))} }}";
                var node = Unique("node", model.InitParameters);
                var withNode = "global::Skynet.SkynetNode " + node + (initList.Length > 0 ? ", " + initList : "");

                var exitList = ParameterList(model.ExitParameters);
                var target = Unique("target", model.ExitParameters);
                var killList = exitList.Length > 0 ? $"{proxy} {target}, {exitList}" : $"{proxy} {target}";
                var exitArgs = string.Join(", ", model.ExitParameters.Select(p => Escape(p.Name)));
                var constraint = $"where T : global::Skynet.ISnaxService<{self}>";
                var name = model.Name;

                w.WriteLine($$"""
                    /// <summary>
                    /// The typed snax API of <see cref="{{name}}"/>: <c>Post</c>/<c>Req</c> on its proxies, <c>Snax.NewService</c>,
                    /// <c>Snax.UniqueService</c> and <c>Snax.Kill</c>.
                    /// </summary>
                    {{Generated.CodeAttribute}}
                    {{Generated.StepThrough}}
                    """);
                // Its members are used as extensions (proxy.Post, Snax.NewService<T>); the class name is nothing to type.
                w.WriteLine(Generated.Hidden);
                w.OpenBlock($"{access} static class {name}SnaxExtensions");
                w.WriteLine($$"""
                    /// <summary>The proxy's views.</summary>
                    extension({{proxy}} proxy)
                    {
                        /// <summary>One-way calls (snax <c>obj.post</c>).</summary>
                        public {{self}}.SnaxPostView Post => new {{self}}.SnaxPostView(proxy);

                        /// <summary>Requests (snax <c>obj.req</c>).</summary>
                        public {{self}}.SnaxReqView Req => new {{self}}.SnaxReqView(proxy);
                    }

                    /// <summary>Typed factories.</summary>
                    """);
                w.OpenBlock($"extension({Snax})");
                w.WriteLine($$"""
                    /// <summary>
                    /// Starts a new <see cref="{{name}}"/> from inside a service and waits for its <c>OnInit</c> (snax <c>newservice</c>).
                    /// </summary>
                    public static {{task}} NewService<T>({{initList}}) {{constraint}}
                        => {{Snax}}.Launch<{{self}}>(null, {{initArgs}});

                    /// <summary>Starts a new <see cref="{{name}}"/> on <paramref name="{{node}}"/> and waits for its <c>OnInit</c>.</summary>
                    public static {{task}} NewService<T>({{withNode}}) {{constraint}}
                        => {{Snax}}.Launch<{{self}}>({{node}}, {{initArgs}});

                    /// <summary>Returns the node's one <see cref="{{name}}"/>, starting it on first use (snax <c>uniqueservice</c>).</summary>
                    public static {{task}} UniqueService<T>({{initList}}) {{constraint}}
                        => {{Snax}}.LaunchUnique<{{self}}>(null, {{initArgs}});

                    /// <summary>Returns the one <see cref="{{name}}"/> of <paramref name="{{node}}"/>, starting it on first use.</summary>
                    public static {{task}} UniqueService<T>({{withNode}}) {{constraint}}
                        => {{Snax}}.LaunchUnique<{{self}}>({{node}}, {{initArgs}});

                    /// <summary>
                    /// Asks the service to exit (snax <c>kill</c>): its <c>OnExit</c> runs with these arguments. Completes when it accepted.
                    /// </summary>
                    public static global::System.Threading.Tasks.Task Kill({{killList}})
                        => {{Snax}}.KillWith({{target}}, {{self}}.__SnaxExitMessage({{exitArgs}}));
                    """);
                WriteWrongArgumentOverloads(w, model, task, proxy);
                w.CloseBlock();
                w.CloseBlock();
            }

            /// <summary>
            /// One overload per factory that takes any arguments and is an error naming this service and its signature.
            /// Without it, a wrong <c>Snax.NewService&lt;Player&gt;()</c> finds no applicable overload and the compiler
            /// reports one of another service's extensions (CS0311/CS1503 naming <c>ISnaxService&lt;Db&gt;</c>); with
            /// it, the call binds here (the constraint keeps other services out) and the only error is this one.
            /// A right call never binds here: a method applicable without expanding <c>params</c> wins.
            /// </summary>
            static void WriteWrongArgumentOverloads(SourceWriter w, ServiceModel model, string task, string proxy)
            {
                var name = model.Name;
                var init = Signature(model.InitParameters);
                var constraint = $"where T : global::Skynet.ISnaxService<{model.FullName}>";
                var link = $"{Generated.HelpBase}/SKY1017.md";
                if (!CollidesWithCatchAll(model.InitParameters))
                {
                    var newMessage = Literal($"Snax.NewService<{name}> expects ({init}), or (SkynetNode node{(init.Length > 0 ? ", " + init : "")})");
                    var uniqueMessage = Literal($"Snax.UniqueService<{name}> expects ({init}), or (SkynetNode node{(init.Length > 0 ? ", " + init : "")})");
                    w.WriteLine($$"""

                        /// <summary>Wrong arguments for <see cref="{{name}}"/>'s <c>OnInit</c>: a compile error that names them.</summary>
                        [global::System.Obsolete({{newMessage}}, true, DiagnosticId = "SKY1017", UrlFormat = "{{link}}")]
                        {{Generated.Hidden}}
                        public static {{task}} NewService<T>(params object?[] arguments) {{constraint}}
                            => throw new global::System.NotSupportedException({{newMessage}});

                        /// <summary>Wrong arguments for <see cref="{{name}}"/>'s <c>OnInit</c>: a compile error that names them.</summary>
                        [global::System.Obsolete({{uniqueMessage}}, true, DiagnosticId = "SKY1017", UrlFormat = "{{link}}")]
                        {{Generated.Hidden}}
                        public static {{task}} UniqueService<T>(params object?[] arguments) {{constraint}}
                            => throw new global::System.NotSupportedException({{uniqueMessage}});
                        """);
                }
                if (!CollidesWithCatchAll(model.ExitParameters))
                {
                    var exit = Signature(model.ExitParameters);
                    var killMessage = Literal($"Snax.Kill of a {name} expects (SnaxProxy<{name}> target{(exit.Length > 0 ? ", " + exit : "")})");
                    w.WriteLine($$"""

                        /// <summary>Wrong arguments for <see cref="{{name}}"/>'s <c>OnExit</c>: a compile error that names them.</summary>
                        [global::System.Obsolete({{killMessage}}, true, DiagnosticId = "SKY1017", UrlFormat = "{{link}}")]
                        {{Generated.Hidden}}
                        public static global::System.Threading.Tasks.Task Kill({{proxy}} target, params object?[] arguments)
                            => throw new global::System.NotSupportedException({{killMessage}});
                        """);
                }
            }

            /// <summary>
            /// True when a <c>params object?[]</c> overload would clash with the real one: the same signature (a single
            /// <c>object[]</c>) or an ambiguity (a <c>params</c> parameter, both expanded).
            /// </summary>
            static bool CollidesWithCatchAll(EquatableArray<ParameterModel> parameters) =>
                parameters.Any(p => p.IsParams) || (parameters.Length == 1 && parameters[0].Type.Bare is "object[]" or "object?[]");

            /// <summary>The parameters as a user reads them: <c>string name, List&lt;Item&gt; items</c>.</summary>
            static string Signature(EquatableArray<ParameterModel> parameters) =>
                string.Join(", ", parameters.Select(p => $"{ShortName(p.Type.Declared)} {p.Name}"));

            static string ShortName(string type) =>
                System.Text.RegularExpressions.Regex.Replace(type, @"(global::)?(@?[A-Za-z_][A-Za-z0-9_]*\.)+(?=@?[A-Za-z_])", "");

            static string Literal(string text) => Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(text, quote: true);
        }
    }
}
