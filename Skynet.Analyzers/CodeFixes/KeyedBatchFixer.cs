using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Skynet.Analyzers.CodeFixes;

/// <summary>
/// <see cref="WellKnownFixAllProviders.BatchFixer"/> with an equivalence key that always belongs to the ids being
/// fixed. <c>dotnet format analyzers</c> (SolutionCodeFixApplier) takes the key of the first action offered for the
/// first diagnostic of its pass, whatever that diagnostic's id: a pass for SKY1003 also holds the SKY1001/SKY1002
/// the same analyzer reported, and a pass for SKY1009 the SKY1008 one. With that foreign key (or none, when the first
/// diagnostic has no fix) the batch fixer finds no action and dotnet format prints "didn't return a Fix All action".
/// Here a key that is not one of the pass ids' own keys is replaced by the ids' keys in order (the first that fixes
/// something); a key that is (the IDE's choice between two fixes of one diagnostic) is kept.
/// </summary>
internal sealed class KeyedBatchFixer : FixAllProvider
{
    readonly ImmutableDictionary<string, ImmutableArray<string>> _keysById;

    /// <param name="keysById">For each fixable id, its equivalence keys, the default (Fix All's choice) first.</param>
    public KeyedBatchFixer(ImmutableDictionary<string, ImmutableArray<string>> keysById) => _keysById = keysById;

    /// <summary>The ids this fixes: its code fix's <c>FixableDiagnosticIds</c>.</summary>
    public ImmutableArray<string> Ids => [.. _keysById.Keys];

    /// <summary>One id, one key.</summary>
    public static KeyedBatchFixer For(string id, params string[] keys) =>
        new(ImmutableDictionary<string, ImmutableArray<string>>.Empty.Add(id, keys.ToImmutableArray()));

    /// <inheritdoc/>
    public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() => WellKnownFixAllProviders.BatchFixer.GetSupportedFixAllScopes();

    /// <inheritdoc/>
    public override async Task<CodeAction?> GetFixAsync(FixAllContext context)
    {
        var own = context.DiagnosticIds.SelectMany(id => _keysById.TryGetValue(id, out var keys) ? keys : ImmutableArray<string>.Empty).ToList();
        if (own.Count == 0 || context.CodeActionEquivalenceKey is { } key && own.Contains(key))
            return await WellKnownFixAllProviders.BatchFixer.GetFixAsync(context).ConfigureAwait(false);
        // The ids' keys in order: the first that fixes something (SKY1003 offers Post only where a post view exists).
        foreach (var candidate in own)
        {
            var rekeyed = context.Document is { } document
                ? new FixAllContext(document, context.CodeFixProvider, context.Scope, candidate, context.DiagnosticIds, new Forward(context), context.CancellationToken)
                : new FixAllContext(context.Project, context.CodeFixProvider, context.Scope, candidate, context.DiagnosticIds, new Forward(context), context.CancellationToken);
            if (await WellKnownFixAllProviders.BatchFixer.GetFixAsync(rekeyed).ConfigureAwait(false) is { } action) return action;
        }
        return null;
    }

    /// <summary>The diagnostics of the original context (already limited to its ids).</summary>
    sealed class Forward(FixAllContext original) : FixAllContext.DiagnosticProvider
    {
        public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken) =>
            Wrap(original.GetDocumentDiagnosticsAsync(document));

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Wrap(original.GetProjectDiagnosticsAsync(project));

        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Wrap(original.GetAllDiagnosticsAsync(project));

        static async Task<IEnumerable<Diagnostic>> Wrap(Task<ImmutableArray<Diagnostic>> diagnostics) => await diagnostics.ConfigureAwait(false);
    }
}
