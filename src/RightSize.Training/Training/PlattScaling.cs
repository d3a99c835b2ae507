namespace RightSize.Training.Training;

/// <summary>
/// Platt scaling: fits p = sigmoid(a·z + b) to held-out logits by Newton's method on the log
/// loss, with Platt's smoothed targets so that a small or separable held-out set stays finite.
/// </summary>
public static class PlattScaling
{
    /// <summary>Returns (scale, offset); (1, 0) when there is nothing to fit.</summary>
    public static (float Scale, float Offset) Fit(IReadOnlyList<double> logits, IReadOnlyList<bool> labels)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        var n = logits.Count;
        var positives = 0;
        for (var i = 0; i < n; i++) if (labels[i]) positives++;
        if (n == 0 || positives == 0 || positives == n) return (1f, 0f);

        var hi = (positives + 1.0) / (positives + 2.0);
        var lo = 1.0 / (n - positives + 2.0);
        double a = 1, b = 0;
        for (var iteration = 0; iteration < 100; iteration++)
        {
            double ga = 0, gb = 0, haa = 1e-9, hab = 0, hbb = 1e-9;
            for (var i = 0; i < n; i++)
            {
                var p = Sigmoid((a * logits[i]) + b);
                var t = labels[i] ? hi : lo;
                var d = p - t;
                var w = p * (1 - p);
                ga += d * logits[i];
                gb += d;
                haa += w * logits[i] * logits[i];
                hab += w * logits[i];
                hbb += w;
            }

            var det = (haa * hbb) - (hab * hab);
            if (Math.Abs(det) < 1e-12) break;
            var da = ((hbb * ga) - (hab * gb)) / det;
            var db = ((haa * gb) - (hab * ga)) / det;
            a -= da;
            b -= db;
            if (Math.Abs(da) < 1e-10 && Math.Abs(db) < 1e-10) break;
        }

        return ((float)a, (float)b);
    }

    public static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));
}
