using System.Text;

namespace Skynet.Generators.Helpers
{
    /// <summary>
    /// What every generated file shares: the attributes that mark plumbing as generated and keep the debugger out of
    /// it (F11 from <c>Post.Add(...)</c> lands in the user's <c>Add</c>), and the encoding (UTF-8 without a BOM).
    /// </summary>
    internal static class Generated
    {
        public static readonly string Version = typeof(Generated).Assembly.GetName().Version?.ToString() ?? "0.0.0.0";

        public static readonly string CodeAttribute = $"[global::System.CodeDom.Compiler.GeneratedCode(\"Skynet.Generators\", \"{Version}\")]";

        /// <summary>For methods, constructors and types: the debugger steps through them into user code.</summary>
        public const string StepThrough = "[global::System.Diagnostics.DebuggerNonUserCode, global::System.Diagnostics.DebuggerStepThrough]";

        /// <summary>For properties, where <c>DebuggerStepThrough</c> is not allowed.</summary>
        public const string NonUserCode = "[global::System.Diagnostics.DebuggerNonUserCode]";

        /// <summary>For public plumbing a user reaches through other names and should not type: kept out of IntelliSense.</summary>
        public const string Hidden = "[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]";

        public static readonly Encoding Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

        /// <summary>Writes the attributes of a generated method, constructor or type.</summary>
        public static void Plumbing(SourceWriter w)
        {
            w.WriteLine(CodeAttribute);
            w.WriteLine(StepThrough);
        }

        /// <summary>Writes the attributes of a generated property.</summary>
        public static void PlumbingProperty(SourceWriter w)
        {
            w.WriteLine(CodeAttribute);
            w.WriteLine(NonUserCode);
        }
    }
}
