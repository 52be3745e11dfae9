namespace Skynet.Samples.PlayerStore;

/// <summary>A player's saved state. Immutable, so it crosses services by reference.</summary>
/// <param name="Id">The player's id (primary key).</param>
/// <param name="Name">The display name.</param>
/// <param name="Level">The level.</param>
/// <param name="Gold">The gold balance.</param>
public sealed record Player(long Id, string Name, int Level, long Gold);
