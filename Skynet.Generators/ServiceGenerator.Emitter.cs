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
                if (model.Namespace is not null) w.OpenBlock("namespace " + model.Namespace);
                WriteServicePart(w, model);
                w.WriteLine();
                WriteExtensions(w, model);
                if (model.Namespace is not null) w.CloseBlock();
                return w.ToString();
            }

            static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);

            internal static string ArgsClass(ServiceModel model, int index) => "__SnaxArgs" + Id(index) + "_" + model.Methods[index].Name;

            internal static string SlotType(ServiceModel model, MethodModel method)
            {
                var types = new[] { model.FullName }.Concat(method.Parameters.Select(p => p.Type.Declared));
                return method.Return == ReturnKind.Void
                    ? "global::System.Action<" + string.Join(", ", types) + ">"
                    : "global::System.Func<" + string.Join(", ", types.Concat(new[] { method.ReturnDeclared })) + ">";
            }

            static string ParameterList(EquatableArray<ParameterModel> parameters) =>
                string.Join(", ", parameters.Select(p => (p.IsParams ? "params " : "") + p.Type.Declared + " " + Escape(p.Name) + (p.DefaultValue is null ? "" : " = " + p.DefaultValue)));

            static string Escape(string name) => TypeEmit.Escape(name);

            /// <summary><paramref name="name"/>, or a variant of it that no user parameter in <paramref name="parameters"/> uses.</summary>
            static string Unique(string name, EquatableArray<ParameterModel> parameters)
            {
                while (parameters.Any(p => p.Name == name)) name = "_" + name;
                return name;
            }

            static string NewMessage(string argsClass, int id, EquatableArray<ParameterModel> parameters, bool copy) =>
                parameters.IsEmpty
                    ? "new global::Skynet.SnaxMessage(" + Id(id) + ")"
                    : "new " + argsClass + "(" + string.Join(", ", parameters.Select(p => copy ? TypeEmit.Copy(p.Type, Escape(p.Name)) : Escape(p.Name))) + ")";

            static void WriteServicePart(SourceWriter w, ServiceModel model)
            {
                var self = model.FullName;
                w.OpenBlock("partial class " + model.Name + " : global::Skynet.ISnaxService<" + self + ">");

                // slots
                w.WriteLine("static readonly global::Skynet.SnaxSlotTable __snaxSlots = __SnaxCreateSlots();");
                w.WriteLine();
                Generated.PlumbingProperty(w);
                w.WriteLine("static global::Skynet.SnaxSlotTable global::Skynet.ISnaxService<" + self + ">.SnaxSlots => __snaxSlots;");
                w.WriteLine();
                Generated.Plumbing(w);
                w.OpenBlock("static global::Skynet.SnaxSlotTable __SnaxCreateSlots()");
                for (var i = 0; i < model.Methods.Length; i++)
                {
                    var m = model.Methods[i];
                    // The user's parameter names, so the locals window shows them when stepping through.
                    var target = Unique("self", m.Parameters);
                    var callArgs = string.Join(", ", m.Parameters.Select(p => Escape(p.Name)));
                    var lambdaArgs = m.Parameters.IsEmpty ? target : target + ", " + callArgs;
                    // The lambda is stepped through, so F11 in the dispatch lands in the user's method.
                    w.WriteLine("var slot" + Id(i) + " = new " + SlotType(model, m) + "(");
                    w.WriteLine("    " + Generated.StepThrough);
                    w.WriteLine("    static (" + lambdaArgs + ") => " + target + "." + Escape(m.Name) + "(" + callArgs + "));");
                }
                w.WriteLine("return new global::Skynet.SnaxSlotTable(");
                w.Indent();
                w.WriteLine("new global::Skynet.SnaxMethodInfo[]");
                w.OpenBlock();
                for (var i = 0; i < model.Methods.Length; i++)
                {
                    var m = model.Methods[i];
                    w.WriteLine("new global::Skynet.SnaxMethodInfo(\"" + m.Name + "\", " + Id(m.Id) + ", global::Skynet.SnaxMethodKind." + (m.IsAccept ? "Accept" : "Response") + ", slot" + Id(i) + ".GetType()),");
                }
                w.CloseBlock(",");
                w.WriteLine("new global::System.Delegate[] { " + string.Join(", ", model.Methods.Select((_, i) => "slot" + Id(i))) + " });");
                w.Unindent();
                w.CloseBlock();
                w.WriteLine();

                // start
                w.WriteLine("/// <inheritdoc/>");
                Generated.Plumbing(w);
                w.OpenBlock("protected override " + ValueTask + " OnStart(object?[] args)");
                w.WriteLine("Dispatch(global::Skynet.PType.Snax, __SnaxDispatch);");
                if (model.HasInit)
                {
                    var n = model.InitParameters.Length;
                    if (n > 0)
                        w.WriteLine("if (args.Length < " + Id(n) + ") throw new global::System.ArgumentException(\"" + model.Name + ".OnInit takes " + Id(n) + " argument(s); \" + args.Length + \" were given. Start it with Snax.NewService<" + model.Name + ">(...).\", nameof(args));");
                    var call = "OnInit(" + string.Join(", ", model.InitParameters.Select((p, i) => "(" + p.Type.Declared + ")args[" + Id(i) + "]" + (p.Type.Declared.EndsWith("?") ? "" : "!"))) + ")";
                    WriteLifecycleReturn(w, model.InitReturn, call);
                }
                else
                {
                    w.WriteLine("return default;");
                }
                w.CloseBlock();
                w.WriteLine();

                // exit
                w.WriteLine("global::Skynet.SnaxMessage? __snaxExit;");
                w.WriteLine();
                Generated.Plumbing(w);
                w.WriteLine("internal static global::Skynet.SnaxMessage __SnaxExitMessage(" + ParameterList(model.ExitParameters) + ") => " + NewMessage("__SnaxArgsExit", 0, model.ExitParameters, copy: true) + ";");
                w.WriteLine();
                if (model.HasTypedExit)
                {
                    w.WriteLine("/// <summary>Exits this service after the current message (snax <c>exit(...)</c>); <c>OnExit</c> runs with these arguments.</summary>");
                    Generated.Plumbing(w);
                    w.OpenBlock("public void Exit(" + ParameterList(model.ExitParameters) + ")");
                    w.WriteLine("__snaxExit = " + NewMessage("__SnaxArgsExit", 0, model.ExitParameters, copy: false) + ";");
                    w.WriteLine("base.Exit();");
                    w.CloseBlock();
                    w.WriteLine();
                    w.WriteLine("/// <inheritdoc/>");
                    Generated.Plumbing(w);
                    w.OpenBlock("protected override " + ValueTask + " OnExit()");
                    w.WriteLine("var exit = __snaxExit as __SnaxArgsExit;");
                    var call = "OnExit(" + string.Join(", ", model.ExitParameters.Select((p, i) => "exit is null ? " + (p.DefaultValue ?? "default!") + " : exit.A" + Id(i))) + ")";
                    WriteLifecycleReturn(w, model.ExitReturn, call);
                    w.CloseBlock();
                    w.WriteLine();
                    WriteArgsClass(w, "__SnaxArgsExit", 0, model.ExitParameters);
                }

                WriteDispatch(w, model);
                WriteCodecs(w, model);

                for (var i = 0; i < model.Methods.Length; i++)
                    if (!model.Methods[i].Parameters.IsEmpty) WriteArgsClass(w, ArgsClass(model, i), model.Methods[i].Id, model.Methods[i].Parameters);

                WriteViews(w, model);
                w.CloseBlock();
            }

            static void WriteLifecycleReturn(SourceWriter w, ReturnKind kind, string call)
            {
                switch (kind)
                {
                    case ReturnKind.ValueTask: w.WriteLine("return " + call + ";"); break;
                    case ReturnKind.Task: w.WriteLine("return new " + ValueTask + "(" + call + ");"); break;
                    default: w.WriteLine(call + ";"); w.WriteLine("return default;"); break;
                }
            }

            static void WriteArgsClass(SourceWriter w, string name, int id, EquatableArray<ParameterModel> parameters)
            {
                Generated.Plumbing(w);
                w.OpenBlock("sealed class " + name + " : global::Skynet.SnaxMessage");
                for (var i = 0; i < parameters.Length; i++) w.WriteLine("public readonly " + parameters[i].Type.Declared + " A" + Id(i) + ";");
                w.WriteLine();
                w.OpenBlock("public " + name + "(" + string.Join(", ", parameters.Select((p, i) => p.Type.Declared + " a" + Id(i))) + ") : base(" + Id(id) + ")");
                for (var i = 0; i < parameters.Length; i++) w.WriteLine("A" + Id(i) + " = a" + Id(i) + ";");
                w.CloseBlock();
                w.CloseBlock();
                w.WriteLine();
            }

            static void WriteDispatch(SourceWriter w, ServiceModel model)
            {
                Generated.Plumbing(w);
                w.OpenBlock(ValueTask + " __SnaxDispatch(global::Skynet.Message message)");
                w.WriteLine("if (message.Payload is not global::Skynet.SnaxMessage request) throw global::Skynet.SnaxReplies.UnknownMessage(this, message.Payload);");
                w.WriteLine("var overrides = SnaxInstanceSlots;");
                w.OpenBlock("switch (request.MethodId)");
                for (var i = 0; i < model.Methods.Length; i++)
                {
                    var m = model.Methods[i];
                    w.WriteLine("case " + Id(m.Id) + ": // " + m.Name);
                    w.OpenBlock();
                    if (!m.Parameters.IsEmpty) w.WriteLine("var args = (" + ArgsClass(model, i) + ")request;");
                    w.WriteLine("var slot = (" + SlotType(model, m) + ")(overrides?[" + Id(i) + "] ?? __snaxSlots[" + Id(i) + "]);");
                    var call = "slot(" + string.Join(", ", new[] { "this" }.Concat(m.Parameters.Select((_, j) => "args.A" + Id(j)))) + ")";
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
                    switch (m.Return)
                    {
                        case ReturnKind.Void: w.WriteLine(call + ";"); w.WriteLine("return default;"); break;
                        case ReturnKind.Value: w.WriteLine("_ = " + call + ";"); w.WriteLine("return default;"); break;
                        case ReturnKind.ValueTask: w.WriteLine("return " + call + ";"); break;
                        case ReturnKind.ValueTaskOfT: w.WriteLine("return new " + ValueTask + "(" + call + ".AsTask());"); break;
                        default: w.WriteLine("return new " + ValueTask + "(" + call + ");"); break;
                    }
                    return;
                }
                switch (m.Return)
                {
                    case ReturnKind.Void:
                        w.WriteLine(call + ";");
                        w.WriteLine("Ret(null);");
                        w.WriteLine("return default;");
                        break;
                    case ReturnKind.Value:
                        w.WriteLine("Ret(" + TypeEmit.Copy(m.Result!, call) + ");");
                        w.WriteLine("return default;");
                        break;
                    case ReturnKind.ValueTask:
                    case ReturnKind.Task:
                        w.WriteLine("return global::Skynet.SnaxReplies.Reply(this, " + call + ");");
                        break;
                    default:
                        var result = m.Result!;
                        w.WriteLine(TypeEmit.NeedsCopy(result)
                            ? "return global::Skynet.SnaxReplies.Reply<" + TypeEmit.ValueName(result) + ", " + TypeEmit.Copier(result) + ">(this, " + call + ");"
                            : "return global::Skynet.SnaxReplies.Reply<" + result.Declared + ", global::Skynet.Codecs.IdentityCopier<" + result.Declared + ">>(this, " + call + ");");
                        break;
                }
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
                var iface = "global::Skynet.ISnaxService<" + model.FullName + ">";
                var service = "\"" + model.Name + "\"";

                Generated.Plumbing(w);
                w.OpenBlock("static void " + iface + ".PackRequest(" + BufferWriter + " output, global::Skynet.SnaxMessage message)");
                w.OpenBlock("try");
                w.OpenBlock("switch (message.MethodId)");
                for (var i = 0; i < model.Methods.Length; i++)
                    WritePackCase(w, model, model.Methods[i].Id, model.Methods[i].Name, ArgsClass(model, i), model.Methods[i].Parameters);
                WritePackCase(w, model, 0, "exit", "__SnaxArgsExit", model.ExitParameters);
                w.WriteLine("default:");
                w.WriteLine("    throw " + Bytes + ".UnknownMethod(" + service + ", message.MethodId);");
                w.CloseBlock();
                w.CloseBlock();
                WriteCatch(w, "CannotPack", service, "request");
                w.CloseBlock();
                w.WriteLine();

                Generated.Plumbing(w);
                w.OpenBlock("static global::Skynet.SnaxMessage __SnaxReadRequest(int _, " + Span + " data)");
                w.OpenBlock("try");
                w.WriteLine("var id = " + Bytes + ".ReadRequestHead(ref data, out var count);");
                w.OpenBlock("switch (id)");
                for (var i = 0; i < model.Methods.Length; i++)
                    WriteUnpackCase(w, model, model.Methods[i].Id, model.Methods[i].Name, ArgsClass(model, i), model.Methods[i].Parameters);
                WriteUnpackCase(w, model, 0, "exit", "__SnaxArgsExit", model.ExitParameters);
                w.WriteLine("default:");
                w.WriteLine("    throw " + Bytes + ".UnknownMethod(" + service + ", id);");
                w.CloseBlock();
                w.CloseBlock();
                WriteCatch(w, "Malformed", service, "request");
                w.CloseBlock();
                w.WriteLine();
                var nestingRequests = model.Methods.Where(m => m.ArgumentsMayNest).Select(m => Id(m.Id)).ToList();
                if (model.ExitMayNest) nestingRequests.Add("0");
                WriteUnpackEntries(w, "global::Skynet.SnaxMessage", iface + ".UnpackRequest(", "__SnaxReadRequest", false, nestingRequests);

                Generated.Plumbing(w);
                w.OpenBlock("static void " + iface + ".PackResult(" + BufferWriter + " output, int methodId, object? result)");
                w.OpenBlock("try");
                w.OpenBlock("switch (methodId)");
                var empty = new System.Collections.Generic.List<string>();
                foreach (var m in model.Methods)
                {
                    if (m.Result is not { } r || m.IsAccept)
                    {
                        empty.Add("case " + Id(m.Id) + ": // " + m.Name);
                        continue;
                    }
                    w.WriteLine("case " + Id(m.Id) + ": // " + m.Name);
                    if (!r.Crosses)
                    {
                        w.WriteLine("    throw " + Bytes + ".NotCrossable(" + service + ", \"" + m.Name + "\", \"" + r.Bare + "\");");
                        continue;
                    }
                    w.WriteLine("    " + Serializer + ".Serialize(output, " + (r.IsValueType ? "(" + r.Bare + ")result!" : "(" + r.Bare + "?)result") + ");");
                    w.WriteLine("    return;");
                }
                foreach (var line in empty) w.WriteLine(line);
                w.WriteLine("case 0: // exit");
                w.WriteLine("    return;");
                w.WriteLine("default:");
                w.WriteLine("    throw " + Bytes + ".UnknownMethod(" + service + ", methodId);");
                w.CloseBlock();
                w.CloseBlock();
                WriteCatch(w, "CannotPack", service, "result");
                w.CloseBlock();
                w.WriteLine();

                Generated.Plumbing(w);
                w.OpenBlock("static object? __SnaxReadResult(int methodId, " + Span + " data)");
                w.OpenBlock("try");
                w.OpenBlock("switch (methodId)");
                empty.Clear();
                foreach (var m in model.Methods)
                {
                    if (m.Result is not { } r || m.IsAccept)
                    {
                        empty.Add("case " + Id(m.Id) + ": // " + m.Name);
                        continue;
                    }
                    w.WriteLine("case " + Id(m.Id) + ": // " + m.Name);
                    w.OpenBlock();
                    if (!r.Crosses)
                    {
                        w.WriteLine("throw " + Bytes + ".NotCrossable(" + service + ", \"" + m.Name + "\", \"" + r.Bare + "\");");
                    }
                    else
                    {
                        w.WriteLine(Local(r) + " value = default;");
                        w.WriteLine(Bytes + ".EnsureEnd(data, " + Serializer + ".Deserialize(data, ref value));");
                        w.WriteLine("return value;");
                    }
                    w.CloseBlock();
                }
                foreach (var line in empty) w.WriteLine(line);
                w.WriteLine("case 0: // exit");
                w.WriteLine("    " + Bytes + ".EnsureEnd(data, 0);");
                w.WriteLine("    return null;");
                w.WriteLine("default:");
                w.WriteLine("    throw " + Bytes + ".UnknownMethod(" + service + ", methodId);");
                w.CloseBlock();
                w.CloseBlock();
                WriteCatch(w, "Malformed", service, "result");
                w.CloseBlock();
                w.WriteLine();
                WriteUnpackEntries(w, "object?", iface + ".UnpackResult(int methodId, ", "__SnaxReadResult", true,
                    model.Methods.Where(m => m.ResultMayNest).Select(m => Id(m.Id)).ToList());
            }

            /// <summary>The type of a local a value is deserialized into: nullable for reference types (bad input may hold null).</summary>
            static string Local(TypeModel type) => type.IsValueType ? type.Declared : type.Bare + "?";

            static void WriteCatch(SourceWriter w, string error, string service, string what)
            {
                w.OpenBlock("catch (global::System.Exception e) when (" + Bytes + ".IsCodecFailure(e))");
                w.WriteLine("throw " + Bytes + "." + error + "(" + service + ", \"" + what + "\", e);");
                w.CloseBlock();
            }

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
                w.OpenBlock("static " + returns + " " + span + "(int methodId, " + Span + " data)");
                if (nesting.Count > 0)
                {
                    w.WriteLine("if (" + Bytes + ".NeedsOwnStack(data.Length) && " + (byMethodId ? "methodId" : Bytes + ".PeekInt32(data)") + " is " + string.Join(" or ", nesting) + ")");
                    w.WriteLine("    return " + Bytes + ".DecodeNested(methodId, data, " + read + ");");
                }
                w.WriteLine("return " + read + "(methodId, data);");
                w.CloseBlock();
                w.WriteLine();
                Generated.Plumbing(w);
                w.WriteLine("static " + returns + " " + entry + Span + " data) => " + span + "(" + id + ", data);");
                w.WriteLine();
                Generated.Plumbing(w);
                w.WriteLine("static " + returns + " " + entry + "in global::System.Buffers.ReadOnlySequence<byte> data) => " + Bytes + ".Decode(" + id + ", in data, " + span + ");");
                w.WriteLine();
            }

            static void WritePackCase(SourceWriter w, ServiceModel model, int id, string name, string argsClass, EquatableArray<ParameterModel> parameters)
            {
                w.WriteLine("case " + Id(id) + ": // " + name);
                w.OpenBlock();
                var missing = parameters.FirstOrDefault(p => !p.Type.Crosses);
                if (missing is not null)
                {
                    w.WriteLine("throw " + Bytes + ".NotCrossable(\"" + model.Name + "\", \"" + name + "\", \"" + missing.Type.Bare + "\");");
                    w.CloseBlock();
                    return;
                }
                if (!parameters.IsEmpty) w.WriteLine("var args = (" + argsClass + ")message;");
                w.WriteLine(Bytes + ".WriteRequestHead(output, " + Id(id) + ", " + Id(parameters.Length) + ");");
                for (var i = 0; i < parameters.Length; i++) w.WriteLine(Serializer + ".Serialize(output, args.A" + Id(i) + ");");
                w.WriteLine("return;");
                w.CloseBlock();
            }

            static void WriteUnpackCase(SourceWriter w, ServiceModel model, int id, string name, string argsClass, EquatableArray<ParameterModel> parameters)
            {
                w.WriteLine("case " + Id(id) + ": // " + name);
                w.OpenBlock();
                var missing = parameters.FirstOrDefault(p => !p.Type.Crosses);
                if (missing is not null)
                {
                    w.WriteLine("throw " + Bytes + ".NotCrossable(\"" + model.Name + "\", \"" + name + "\", \"" + missing.Type.Bare + "\");");
                    w.CloseBlock();
                    return;
                }
                w.WriteLine(Bytes + ".CheckArgumentCount(count, " + Id(parameters.Length) + ", \"" + model.Name + "\", \"" + name + "\");");
                for (var i = 0; i < parameters.Length; i++)
                {
                    w.WriteLine(Local(parameters[i].Type) + " a" + Id(i) + " = default;");
                    w.WriteLine("data = data.Slice(" + Serializer + ".Deserialize(data, ref a" + Id(i) + "));");
                }
                w.WriteLine(Bytes + ".EnsureEnd(data, 0);");
                w.WriteLine(parameters.IsEmpty
                    ? "return new global::Skynet.SnaxMessage(" + Id(id) + ");"
                    : "return new " + argsClass + "(" + string.Join(", ", parameters.Select((p, i) => "a" + Id(i) + (p.Type.IsValueType ? "" : "!"))) + ");");
                w.CloseBlock();
            }

            static void WriteViews(SourceWriter w, ServiceModel model)
            {
                var proxy = "global::Skynet.SnaxProxy<" + model.FullName + ">";
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
                var proxy = "global::Skynet.SnaxProxy<" + self + ">";
                var task = "global::System.Threading.Tasks.Task<" + proxy + ">";
                var access = model.IsPublic ? "public" : "internal";
                var initList = ParameterList(model.InitParameters);
                var initArgs = "new object?[] { " + string.Join(", ", model.InitParameters.Select(p => TypeEmit.Copy(p.Type, Escape(p.Name)))) + " }";
                var node = Unique("node", model.InitParameters);
                var withNode = "global::Skynet.SkynetNode " + node + (initList.Length > 0 ? ", " + initList : "");

                var exitList = ParameterList(model.ExitParameters);
                var target = Unique("target", model.ExitParameters);
                var killList = proxy + " " + target + (exitList.Length > 0 ? ", " + exitList : "");
                var exitArgs = string.Join(", ", model.ExitParameters.Select(p => Escape(p.Name)));
                var constraint = "where T : global::Skynet.ISnaxService<" + self + ">";
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
                w.OpenBlock(access + " static class " + name + "SnaxExtensions");
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
                    extension({{Snax}})
                    {
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
                    }
                    """);
                w.CloseBlock();
            }
        }
    }
}
