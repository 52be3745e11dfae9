using Microsoft.CodeAnalysis.Text;
using Skynet.Analyzers.Diagnostics;
using Skynet.Analyzers.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Skynet.Analyzers.Tests.Corpus;

/// <summary>
/// SKY1001 on the game-service corpus: each case reports exactly at its marks, and the confusion counts are the
/// ones docs/diagnostics/README.md records (change both together).
/// </summary>
public class GameCorpusTests(ITestOutputHelper output)
{
    public static TheoryData<string> Names => [.. GameCorpus.Cases.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public void ReportsExactlyAtTheMarks(string name) =>
        AnalyzerTest.Verify<ReentrancyAnalyzer>(DiagnosticIds.StateAcrossAwait, GameCorpus.Cases.Single(c => c.Name == name).Source);

    [Fact]
    public void FalsePositivesAndNegatives_AreTheDocumentedOnes()
    {
        var outcomes = GameCorpus.Cases.Select(c => (c.Name, c.Truth, Reported: Markup.Parse(c.Source).Spans.Count > 0)).ToList();
        var falseNegatives = outcomes.Where(o => o.Truth == Truth.Race && !o.Reported).Select(o => o.Name).ToList();
        var falsePositives = outcomes.Where(o => o.Truth == Truth.Safe && o.Reported).Select(o => o.Name).ToList();
        var races = outcomes.Count(o => o.Truth == Truth.Race);
        var safe = outcomes.Count(o => o.Truth == Truth.Safe);
        output.WriteLine($"races {races}, caught {races - falseNegatives.Count}; safe {safe}, flagged {falsePositives.Count}");
        output.WriteLine("false negatives: " + string.Join(", ", falseNegatives));
        output.WriteLine("false positives: " + string.Join(", ", falsePositives));

        Assert.Equal((13, 13), (races, safe));
        Assert.Equal(["MatchStartReReadRace", "RoomReadyRace", "RoomJoinThroughHelperRace"], falseNegatives);
        Assert.Equal(["InventoryBuySafe", "RoomRejoinOverwriteSafe"], falsePositives);
    }
}
