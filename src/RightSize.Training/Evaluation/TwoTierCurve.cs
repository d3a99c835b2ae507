namespace RightSize.Training.Evaluation;

/// <summary>
/// The quality of a two-tier router (weak vs strong) as its threshold sweeps from "all weak" to
/// "all strong". Rows are sent to the strong tier in order of rising score (least likely good
/// enough first); rows with equal scores move together, and the curve is linear in between
/// (the expected value when ties are broken at random). Measures follow RouteLLM's definitions.
/// </summary>
public sealed class TwoTierCurve
{
    private readonly CurvePoint[] _points;

    private TwoTierCurve(CurvePoint[] points, double weakQuality, double strongQuality)
    {
        _points = points;
        WeakQuality = weakQuality;
        StrongQuality = strongQuality;
    }

    /// <summary>Mean score with every row on the weak tier.</summary>
    public double WeakQuality { get; }

    /// <summary>Mean score with every row on the strong tier.</summary>
    public double StrongQuality { get; }

    public IReadOnlyList<CurvePoint> Points => _points;

    /// <summary>Builds the curve of a router that gives each row <paramref name="weakGoodScore"/> (higher: weak more likely good enough).</summary>
    public static TwoTierCurve FromScores(IReadOnlyList<double> weak, IReadOnlyList<double> strong, IReadOnlyList<double> weakGoodScore)
    {
        ArgumentNullException.ThrowIfNull(weak);
        ArgumentNullException.ThrowIfNull(strong);
        ArgumentNullException.ThrowIfNull(weakGoodScore);
        var n = weak.Count;
        if (n == 0 || strong.Count != n || weakGoodScore.Count != n) throw new ArgumentException("Need the same, non-zero number of weak scores, strong scores and router scores.");
        var order = new int[n];
        for (var i = 0; i < n; i++) order[i] = i;
        var keys = new double[n];
        for (var i = 0; i < n; i++)
        {
            keys[i] = weakGoodScore[i];
            if (!double.IsFinite(keys[i])) throw new ArgumentException($"Router score {i} is {keys[i]}; scores must be finite numbers.", nameof(weakGoodScore));
        }

        Array.Sort(keys, order);

        double weakSum = 0, strongSum = 0;
        for (var i = 0; i < n; i++)
        {
            weakSum += weak[i];
            strongSum += strong[i];
        }

        var points = new List<CurvePoint>(n + 1) { new(0, weakSum / n) };
        var current = weakSum;
        for (var k = 0; k < n;)
        {
            var j = k;
            do
            {
                current += strong[order[j]] - weak[order[j]];
                j++;
            }
            while (j < n && keys[j] == keys[k]);

            points.Add(new CurvePoint((double)j / n, current / n));
            k = j;
        }

        return new TwoTierCurve([.. points], weakSum / n, strongSum / n);
    }

    /// <summary>The oracle: sends rows to the strong tier exactly where it scores better.</summary>
    public static TwoTierCurve Oracle(IReadOnlyList<double> weak, IReadOnlyList<double> strong)
    {
        ArgumentNullException.ThrowIfNull(weak);
        ArgumentNullException.ThrowIfNull(strong);
        var key = new double[weak.Count];
        for (var i = 0; i < key.Length; i++) key[i] = weak[i] - strong[i];
        return FromScores(weak, strong, key);
    }

    /// <summary>A random router: strong share and quality grow linearly together.</summary>
    public static TwoTierCurve Random(IReadOnlyList<double> weak, IReadOnlyList<double> strong)
    {
        ArgumentNullException.ThrowIfNull(weak);
        ArgumentNullException.ThrowIfNull(strong);
        return FromScores(weak, strong, new double[weak.Count]);
    }

    /// <summary>
    /// Performance gap recovered at a point: (Q − Q_weak) / (Q_strong − Q_weak). NaN when there is
    /// no gap to recover: the tiers tie, or the weak tier scores better on average (then a router
    /// would "recover" a negative gap, and every figure built on PGR would read backwards).
    /// </summary>
    public double Pgr(double quality) => StrongQuality <= WeakQuality ? double.NaN : (quality - WeakQuality) / (StrongQuality - WeakQuality);

    /// <summary>
    /// APGR: the area under PGR against the strong-call share, with PGR capped at 1 (no router
    /// recovers more than the whole gap; without the cap the oracle, which also keeps the rows
    /// where only the weak tier is right, would score far above 1). The curve is linear between
    /// its points, and the cap applies to the curve, not only to its points: a segment that
    /// crosses 1 is split where it does.
    /// </summary>
    public double Apgr()
    {
        var area = 0.0;
        for (var i = 1; i < _points.Length; i++)
        {
            area += CappedArea(_points[i].StrongShare - _points[i - 1].StrongShare, Pgr(_points[i - 1].Quality), Pgr(_points[i].Quality));
        }

        return area;
    }

    /// <summary>The area under min(1, PGR) over a segment of the given width where PGR runs linearly from <paramref name="from"/> to <paramref name="to"/>.</summary>
    private static double CappedArea(double width, double from, double to)
    {
        if (from <= 1 && to <= 1) return width * (from + to) / 2;
        if (from >= 1 && to >= 1) return width;
        var below = from < 1 ? from : to; // the end under the cap
        var underShare = (1 - below) / Math.Abs(to - from); // the part of the segment under the cap
        return width * ((underShare * (below + 1) / 2) + (1 - underShare));
    }

    /// <summary>CPT(x): the smallest strong-call share whose PGR reaches <paramref name="gapShare"/> (0.5 for CPT(50%)).</summary>
    public double Cpt(double gapShare) => FirstShareWhere(p => Pgr(p.Quality) - gapShare);

    /// <summary>The smallest strong-call share whose quality retained (Q / Q_strong) reaches <paramref name="qualityRetained"/>.</summary>
    public double StrongShareAt(double qualityRetained) => FirstShareWhere(p => (p.Quality / StrongQuality) - qualityRetained);

    /// <summary>Strong calls saved at a quality retained: 1 − <see cref="StrongShareAt"/>.</summary>
    public double StrongCallCutAt(double qualityRetained) => 1 - StrongShareAt(qualityRetained);

    /// <summary>Routed cost as a share of all-strong, at a quality retained.</summary>
    public double CostShareAt(double qualityRetained, double weakPrice, double strongPrice)
    {
        var share = StrongShareAt(qualityRetained);
        return ((share * strongPrice) + ((1 - share) * weakPrice)) / strongPrice;
    }

    private double FirstShareWhere(Func<CurvePoint, double> margin)
    {
        if (margin(_points[0]) >= 0) return _points[0].StrongShare;
        for (var i = 1; i < _points.Length; i++)
        {
            var m = margin(_points[i]);
            if (m < 0) continue;
            var previous = margin(_points[i - 1]);
            var t = previous / (previous - m);
            return _points[i - 1].StrongShare + (t * (_points[i].StrongShare - _points[i - 1].StrongShare));
        }

        return 1.0;
    }
}
