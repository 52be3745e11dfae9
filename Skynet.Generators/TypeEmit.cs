using Skynet.Generators.Model;
using Skynet.Shared;

namespace Skynet.Generators
{
    /// <summary>Composes copier type names from a <see cref="TypeModel"/> (shared by both emitters; sees no symbols).</summary>
    internal static class TypeEmit
    {
        const string Codecs = "global::Skynet.Codecs.";

        /// <summary><paramref name="name"/> as an identifier: keywords get an <c>@</c> (a member declared <c>@class</c>).</summary>
        public static string Escape(string name) =>
            Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetKeywordKind(name) != Microsoft.CodeAnalysis.CSharp.SyntaxKind.None ? "@" + name : name;

        /// <summary>The type argument a copier is declared over (reference types annotated nullable).</summary>
        public static string ValueName(TypeModel type) => type.Copy switch
        {
            CopyKind.Nullable => type.Args[0].Bare + "?",
            CopyKind.List => "global::System.Collections.Generic.List<" + ValueName(type.Args[0]) + ">?",
            CopyKind.HashSet => "global::System.Collections.Generic.HashSet<" + ValueName(type.Args[0]) + ">?",
            CopyKind.Array => ValueName(type.Args[0]) + "[]?",
            CopyKind.Dictionary => "global::System.Collections.Generic.Dictionary<" + KeyName(type.Args[0]) + ", " + ValueName(type.Args[1]) + ">?",
            _ => type.IsValueType ? type.Bare : type.Bare + "?",
        };

        static string KeyName(TypeModel type) => type.IsValueType ? ValueName(type) : type.Bare;

        /// <summary>The copier type: <c>IdentityCopier</c> for immutable values.</summary>
        public static string Copier(TypeModel type, bool asKey = false)
        {
            var name = asKey ? KeyName(type) : ValueName(type);
            switch (type.Copy)
            {
                case CopyKind.DeepCopyable:
                    return Codecs + "DeepCopyableCopier<" + type.Bare + ">";
                case CopyKind.RoundTrip:
                    return Codecs + "MemoryPackCopier<" + name + ">";
                case CopyKind.Nullable:
                    return Codecs + "NullableCopier<" + type.Args[0].Bare + ", " + Copier(type.Args[0]) + ">";
                case CopyKind.List:
                    return Codecs + "ListCopier<" + ValueName(type.Args[0]) + ", " + Copier(type.Args[0]) + ">";
                case CopyKind.HashSet:
                    return Codecs + "HashSetCopier<" + ValueName(type.Args[0]) + ", " + Copier(type.Args[0]) + ">";
                case CopyKind.Array:
                    return Codecs + "ArrayCopier<" + ValueName(type.Args[0]) + ", " + Copier(type.Args[0]) + ">";
                case CopyKind.Dictionary:
                    return Codecs + "DictionaryCopier<" + KeyName(type.Args[0]) + ", " + ValueName(type.Args[1]) + ", " + Copier(type.Args[0], asKey: true) + ", " + Copier(type.Args[1]) + ">";
                default:
                    return Codecs + "IdentityCopier<" + name + ">";
            }
        }

        /// <summary>An expression copying <paramref name="expression"/>; the expression itself for immutable types.</summary>
        public static string Copy(TypeModel type, string expression) =>
            NeedsCopy(type) ? Copier(type) + ".Copy(" + expression + ")!" : expression;

        public static bool NeedsCopy(TypeModel type) => type.Copy != CopyKind.Identity;
    }
}
