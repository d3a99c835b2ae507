namespace RightSize.Server.Stats;

/// <summary>
/// A fixed-bucket latency histogram in milliseconds: 64 buckets growing by 25% from 0.5 ms to
/// about 10 minutes, plus an overflow bucket. Percentiles interpolate inside the bucket that holds
/// the true value, so they are at most 25% above or 20% below it (never above the largest value
/// recorded); histograms add, so windows and routes merge
/// exactly. Not thread-safe: its owner locks.
/// </summary>
internal sealed class LatencyHistogram
{
    public const int BucketCount = 64;
    private const double FirstBoundMs = 0.5;
    private const double Growth = 1.25;
    private static readonly double LogGrowth = Math.Log(Growth);
    private static readonly double[] UpperBounds = CreateBounds();

    private readonly long[] _counts = new long[BucketCount + 1];

    public long Count { get; private set; }

    public double MaxMs { get; private set; }

    public void Record(double milliseconds)
    {
        if (double.IsNaN(milliseconds) || milliseconds < 0) milliseconds = 0;
        _counts[BucketOf(milliseconds)]++;
        Count++;
        if (milliseconds > MaxMs) MaxMs = milliseconds;
    }

    public void AddTo(LatencyHistogram target)
    {
        for (var i = 0; i < _counts.Length; i++) target._counts[i] += _counts[i];
        target.Count += Count;
        if (MaxMs > target.MaxMs) target.MaxMs = MaxMs;
    }

    public void Reset()
    {
        Array.Clear(_counts);
        Count = 0;
        MaxMs = 0;
    }

    /// <summary>The <paramref name="quantile"/> (0..1) in milliseconds; 0 when empty.</summary>
    public double Percentile(double quantile)
    {
        if (Count == 0) return 0;
        var rank = Math.Max(1, (long)Math.Ceiling(quantile * Count));
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            var inBucket = _counts[i];
            if (inBucket == 0 || seen + inBucket < rank)
            {
                seen += inBucket;
                continue;
            }

            var lower = i == 0 ? 0 : UpperBounds[i - 1];
            var upper = i < BucketCount ? UpperBounds[i] : MaxMs;
            var value = lower + ((upper - lower) * (rank - seen) / inBucket);
            return Math.Min(value, MaxMs);
        }

        return MaxMs;
    }

    private static int BucketOf(double milliseconds)
    {
        if (milliseconds <= FirstBoundMs) return 0;
        var index = (int)Math.Ceiling(Math.Log(milliseconds / FirstBoundMs) / LogGrowth);
        if (index >= BucketCount) return BucketCount;

        // Correct floating-point error at the bucket edges.
        if (milliseconds > UpperBounds[index]) index++;
        else if (index > 0 && milliseconds <= UpperBounds[index - 1]) index--;
        return Math.Min(index, BucketCount);
    }

    private static double[] CreateBounds()
    {
        var bounds = new double[BucketCount];
        for (var i = 0; i < BucketCount; i++) bounds[i] = FirstBoundMs * Math.Pow(Growth, i);
        return bounds;
    }
}
