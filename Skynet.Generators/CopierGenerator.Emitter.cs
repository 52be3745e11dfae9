using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Skynet.Generators.Helpers;
using Skynet.Generators.Model;

namespace Skynet.Generators
{
    public sealed partial class CopierGenerator
    {
        /// <summary>Turns a <see cref="CopierModel"/> into source text; never sees a symbol.</summary>
        internal static class Emitter
        {
            public static void Emit(SourceProductionContext context, CopierModel? model)
            {
                if (model is null) return;
                foreach (var diagnostic in model.Diagnostics) context.ReportDiagnostic(diagnostic.ToDiagnostic());
                if (!model.Diagnostics.IsEmpty) return;
                context.AddSource(model.MetadataName + ".Copier.g.cs", SourceText.From(Render(model), Generated.Encoding));
            }

            public static string Render(CopierModel model)
            {
                var w = new SourceWriter();
                var self = model.FullName;
                var nullable = model.IsValueType ? self : $"{self}?";
                w.WriteLine(Generated.Header);
                if (model.Namespace is not null) w.OpenBlock($"namespace {model.Namespace}");
                w.OpenBlock($"{model.Keyword} {model.Name} : global::Skynet.Codecs.IDeepCopyable<{self}>");
                switch (model.Strategy)
                {
                    case CopierStrategy.Share:
                        w.WriteLine($$"""
                            /// <summary>Returns <paramref name="value"/>: the type is immutable, so services may share it.</summary>
                            {{Generated.CodeAttribute}}
                            {{Generated.StepThrough}}
                            {{Generated.Hidden}}
                            public static {{nullable}} DeepCopy({{nullable}} value) => value;
                            """);
                        break;
                    case CopierStrategy.RoundTrip:
                        w.WriteLine($$"""
                            /// <summary>Returns a deep copy of <paramref name="value"/> made by a MemoryPack round trip (its references or formatters are MemoryPack's).</summary>
                            {{Generated.CodeAttribute}}
                            {{Generated.StepThrough}}
                            {{Generated.Hidden}}
                            public static {{nullable}} DeepCopy({{nullable}} value) => global::Skynet.Codecs.MemoryPackCopier<{{nullable}}>.Copy(value);
                            """);
                        break;
                    default:
                        w.WriteLine($$"""
                            /// <summary>Returns a deep copy of <paramref name="value"/> that shares no mutable state with it.</summary>
                            {{Generated.CodeAttribute}}
                            {{Generated.StepThrough}}
                            {{Generated.Hidden}}
                            """);
                        w.OpenBlock($"public static {nullable} DeepCopy({nullable} value)");
                        if (!model.IsValueType) w.WriteLine("if (value is null) return null;");
                        // A cycle in the object graph fails with InsufficientExecutionStackException, not a crash.
                        w.WriteLine($$"""
                            global::System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
                            return {{Construct(model)}};
                            """);
                        w.CloseBlock();
                        break;
                }
                w.CloseBlock();
                if (model.Namespace is not null) w.CloseBlock();
                return w.ToString();
            }

            static string Construct(CopierModel model)
            {
                var ctorArgs = new string[model.ConstructorArity];
                var inits = new List<string>();
                for (var i = 0; i < model.Members.Length; i++)
                {
                    var m = model.Members[i];
                    var copy = TypeEmit.Copy(m.Type, "value." + TypeEmit.Escape(m.Name));
                    if (m.ConstructorIndex >= 0) ctorArgs[m.ConstructorIndex] = copy;
                    else inits.Add($"{TypeEmit.Escape(m.Name)} = {copy}");
                }
                var text = $"new {model.FullName}({string.Join(", ", ctorArgs)})";
                return inits.Count == 0 ? text : $"{text} {{ {string.Join(", ", inits)} }}";
            }
        }
    }
}
