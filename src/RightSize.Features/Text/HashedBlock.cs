namespace RightSize.Features.Text;

/// <summary>Where a block's hashed features go: its tag, its seeds and the bucket mask.</summary>
internal readonly record struct HashedBlock(uint Tag, ulong Seed, uint Mask)
{
    public const int TagBits = 3;

    public uint Key(ulong hash) => ((uint)hash & Mask) << TagBits | Tag;
}
