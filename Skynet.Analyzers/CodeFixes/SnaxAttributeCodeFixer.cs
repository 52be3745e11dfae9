using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Skynet.Analyzers.Diagnostics;

namespace Skynet.Analyzers.CodeFixes;

/// <summary>SKY1008: <c>[Accept]</c> → <c>[Response]</c>; SKY1009: <c>[Response]</c> → <c>[Accept]</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SnaxAttributeCodeFixer)), Shared]
public sealed class SnaxAttributeCodeFixer() : SkynetCodeFixer(new(ImmutableDictionary<string, ImmutableArray<string>>.Empty
    .Add(DiagnosticIds.AcceptReturnsValue, [UseResponseKey])
    .Add(DiagnosticIds.ResponseReturnsVoid, [UseAcceptKey])))
{
    /// <summary>Equivalence key of the SKY1008 fix.</summary>
    public const string UseResponseKey = DiagnosticIds.AcceptReturnsValue + ".UseResponse";

    /// <summary>Equivalence key of the SKY1009 fix.</summary>
    public const string UseAcceptKey = DiagnosticIds.ResponseReturnsVoid + ".UseAccept";

    /// <inheritdoc/>
    protected override void Register(CodeFixContext context, SyntaxNode root, SemanticModel model, Diagnostic diagnostic)
    {
        if (root.FindNode(context.Span).FirstAncestorOrSelf<MethodDeclarationSyntax>() is not { } method) return;
        var (from, to, key) = diagnostic.Id == DiagnosticIds.AcceptReturnsValue ? ("Accept", "Response", UseResponseKey) : ("Response", "Accept", UseAcceptKey);
        var attribute = method.AttributeLists.SelectMany(l => l.Attributes).FirstOrDefault(a => Name(a) == from);
        if (attribute is null) return;
        context.RegisterCodeFix(CodeAction.Create($"Use [{to}]",
            ct => Replace(context.Document, root, attribute, to, ct), key), diagnostic);
    }

    static string Name(AttributeSyntax attribute)
    {
        var name = attribute.Name switch
        {
            QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
            AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            _ => "",
        };
        return name.EndsWith("Attribute", System.StringComparison.Ordinal) ? name.Substring(0, name.Length - "Attribute".Length) : name;
    }

    static Task<Document> Replace(Document document, SyntaxNode root, AttributeSyntax attribute, string to, CancellationToken cancellationToken)
    {
        NameSyntax name = SyntaxFactory.IdentifierName(to);
        if (attribute.Name is QualifiedNameSyntax qualified) name = qualified.WithRight(SyntaxFactory.IdentifierName(to));
        var updated = attribute.WithName(name.WithTriviaFrom(attribute.Name));
        return Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(attribute, updated)));
    }
}
