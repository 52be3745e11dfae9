using Skynet.Generators.Model;

namespace Skynet.Generators
{
    /// <summary>Composes formatter and copier type names from a <see cref="TypeModel"/> (shared by both emitters; sees no symbols).</summary>
    internal static class TypeEmit
    {
        const string Codecs = "global::Skynet.Codecs.";

        /// <summary><paramref name="name"/> as an identifier: keywords get an <c>@</c> (a member declared <c>@class</c>).</summary>
        public static string Escape(string name) =>
            Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetKeywordKind(name) != Microsoft.CodeAnalysis.CSharp.SyntaxKind.None ? "@" + name : name;

        /// <summary>The type argument a formatter or copier is declared over (reference types annotated nullable).</summary>
        public static string ValueName(TypeModel type) => type.Kind switch
        {
            ShapeKind.String => "string?",
            ShapeKind.Unmanaged => type.Bare,
            ShapeKind.NullableUnmanaged or ShapeKind.NullablePackable => type.Args[0].Bare + "?",
            ShapeKind.List => "global::System.Collections.Generic.List<" + ValueName(type.Args[0]) + ">?",
            ShapeKind.Array => ValueName(type.Args[0]) + "[]?",
            ShapeKind.Dictionary => "global::System.Collections.Generic.Dictionary<" + KeyName(type.Args[0]) + ", " + ValueName(type.Args[1]) + ">?",
            _ => type.IsValueType ? type.Bare : type.Bare + "?",
        };

        static string KeyName(TypeModel type) => type.Kind == ShapeKind.String ? "string" : type.IsValueType ? ValueName(type) : type.Bare;

        /// <summary>The formatter type, or null when the type has no codec.</summary>
        public static string? Formatter(TypeModel type)
        {
            switch (type.Kind)
            {
                case ShapeKind.String: return Codecs + "StringFormatter";
                case ShapeKind.Unmanaged: return Codecs + "UnmanagedFormatter<" + type.Bare + ">";
                case ShapeKind.NullableUnmanaged: return Codecs + "NullableFormatter<" + type.Args[0].Bare + ">";
                case ShapeKind.NullablePackable: return Codecs + "NullablePackableFormatter<" + type.Args[0].Bare + ">";
                case ShapeKind.Packable: return Codecs + "PackableFormatter<" + type.Bare + ">";
                case ShapeKind.List:
                case ShapeKind.Array:
                {
                    var element = Formatter(type.Args[0]);
                    if (element is null) return null;
                    return Codecs + (type.Kind == ShapeKind.List ? "ListFormatter<" : "ArrayFormatter<") + ValueName(type.Args[0]) + ", " + element + ">";
                }
                case ShapeKind.Dictionary:
                {
                    var key = Formatter(type.Args[0]);
                    var value = Formatter(type.Args[1]);
                    if (key is null || value is null) return null;
                    return Codecs + "DictionaryFormatter<" + KeyName(type.Args[0]) + ", " + ValueName(type.Args[1]) + ", " + key + ", " + value + ">";
                }
                default: return null;
            }
        }

        /// <summary>The copier type: <c>IdentityCopier</c> for immutable values.</summary>
        public static string Copier(TypeModel type, bool asKey = false)
        {
            var name = asKey ? KeyName(type) : ValueName(type);
            switch (type.Kind)
            {
                case ShapeKind.Packable when !type.IsImmutable:
                    return Codecs + "DeepCopyableCopier<" + type.Bare + ">";
                case ShapeKind.NullablePackable when !type.IsImmutable:
                    return Codecs + "NullableCopier<" + type.Args[0].Bare + ", " + Copier(type.Args[0]) + ">";
                case ShapeKind.List:
                    return Codecs + "ListCopier<" + ValueName(type.Args[0]) + ", " + Copier(type.Args[0]) + ">";
                case ShapeKind.Array:
                    return Codecs + "ArrayCopier<" + ValueName(type.Args[0]) + ", " + Copier(type.Args[0]) + ">";
                case ShapeKind.Dictionary:
                    return Codecs + "DictionaryCopier<" + KeyName(type.Args[0]) + ", " + ValueName(type.Args[1]) + ", " + Copier(type.Args[0], asKey: true) + ", " + Copier(type.Args[1]) + ">";
                default:
                    return Codecs + "IdentityCopier<" + name + ">";
            }
        }

        /// <summary>An expression copying <paramref name="expression"/>; the expression itself for immutable types.</summary>
        public static string Copy(TypeModel type, string expression) =>
            NeedsCopy(type) ? Copier(type) + ".Copy(" + expression + ")!" : expression;

        public static bool NeedsCopy(TypeModel type) => type.Kind switch
        {
            ShapeKind.List or ShapeKind.Array or ShapeKind.Dictionary => true,
            ShapeKind.Packable or ShapeKind.NullablePackable => !type.IsImmutable,
            _ => false,
        };

        /// <summary>A statement writing <paramref name="expression"/> with <paramref name="writer"/>.</summary>
        public static string Write(TypeModel type, string writer, string expression) =>
            writer + ".WriteValue<" + ValueName(type) + ", " + Formatter(type) + ">(" + expression + ");";

        /// <summary>An expression reading a value with <paramref name="reader"/>.</summary>
        public static string Read(TypeModel type, string reader) =>
            reader + ".ReadValue<" + ValueName(type) + ", " + Formatter(type) + ">()" + (type.IsValueType ? "" : "!");
    }
}
