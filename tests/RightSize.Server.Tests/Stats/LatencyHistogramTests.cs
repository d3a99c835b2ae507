using RightSize.Server.Stats;

namespace RightSize.Server.Tests.Stats;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void Percentile_Empty_Zero()
    {
        Assert.Equal(0, new LatencyHistogram().Percentile(0.99));
    }

    [Fact]
    public void Percentile_OneValue_ThatValueAtEveryQuantile()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(42);

        Assert.InRange(histogram.Percentile(0.5), 42 * 0.8, 42);
        Assert.Equal(42, histogram.Percentile(1));
    }

    [Theory]
    [InlineData(0.25)]
    [InlineData(3)]
    [InlineData(250)]
    [InlineData(30_000)]
    public void Percentile_SameValues_WithinOneBucketOfTheValue(double value)
    {
        var histogram = new LatencyHistogram();
        for (var i = 0; i < 100; i++) histogram.Record(value);

        Assert.InRange(histogram.Percentile(0.5), value / 1.25, value);
    }

    [Fact]
    public void Record_BeyondTheLastBucket_OverflowReportsMax()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(3_600_000);

        Assert.Equal(3_600_000, histogram.Percentile(0.99));
    }

    [Fact]
    public void AddTo_TwoHistograms_MergedCountsAndMax()
    {
        var a = new LatencyHistogram();
        var b = new LatencyHistogram();
        for (var i = 0; i < 50; i++) a.Record(10);
        for (var i = 0; i < 50; i++) b.Record(1_000);
        var merged = new LatencyHistogram();

        a.AddTo(merged);
        b.AddTo(merged);

        Assert.Equal(100, merged.Count);
        Assert.Equal(1_000, merged.MaxMs);
        Assert.InRange(merged.Percentile(0.25), 10 / 1.25, 10 * 1.25);
        Assert.InRange(merged.Percentile(0.90), 800, 1_000);
    }
}
