namespace RightSize.Features.Text;

/// <summary>Where a block's hashed features go: its tag, its seeds and the bucket mask.</summary>
internal readonly record struct HashedBlock(uint Tag, ulong Seed, uint Mask)
{
    /// <summary>Bits of a key that name its block: two, for the four <see cref="FeatureBlock"/>s.</summary>
    public const int TagBits = 2;

    public uint Key(ulong hash) => ((uint)hash & Mask) << TagBits | Tag;
}
