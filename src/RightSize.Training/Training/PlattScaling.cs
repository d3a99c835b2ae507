namespace RightSize.Training.Training;

/// <summary>
/// Platt scaling: fits p = sigmoid(a·z + b) to held-out logits by Newton's method on the log
/// loss, with Platt's smoothed targets so that a small or separable held-out set stays finite.
/// Every step is backtracked until the loss falls, so the fit never ends worse than where it
/// started (the identity, a = 1 and b = 0). Calibration must keep the model's ranking: when the
/// held-out rows would call for a scale of zero or below, the scale stays 1 and only the offset
/// is fitted.
/// </summary>
public static class PlattScaling
{
    private const int MaxIterations = 100;

    /// <summary>Returns (scale, offset); (1, 0) when there is nothing to fit.</summary>
    public static (float Scale, float Offset) Fit(IReadOnlyList<double> logits, IReadOnlyList<bool> labels)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        var n = logits.Count;
        var positives = 0;
        for (var i = 0; i < n; i++) if (labels[i]) positives++;
        if (n == 0 || positives == 0 || positives == n) return (1f, 0f);

        var targets = new double[n];
        var hi = (positives + 1.0) / (positives + 2.0);
        var lo = 1.0 / (n - positives + 2.0);
        for (var i = 0; i < n; i++) targets[i] = labels[i] ? hi : lo;

        var (a, b) = Newton(logits, targets, fitScale: true);
        if (!(a > 0) || !double.IsFinite(b)) (a, b) = Newton(logits, targets, fitScale: false);
        return ((float)a, (float)b);
    }

    public static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    /// <summary>Newton's method from (1, 0) with backtracking; with <paramref name="fitScale"/> false the scale stays 1.</summary>
    private static (double A, double B) Newton(IReadOnlyList<double> z, double[] t, bool fitScale)
    {
        double a = 1, b = 0;
        var loss = Loss(z, t, a, b);
        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            double ga = 0, gb = 0, haa = 1e-9, hab = 0, hbb = 1e-9;
            for (var i = 0; i < z.Count; i++)
            {
                var p = Sigmoid((a * z[i]) + b);
                var d = p - t[i];
                var w = p * (1 - p);
                ga += d * z[i];
                gb += d;
                haa += w * z[i] * z[i];
                hab += w * z[i];
                hbb += w;
            }

            double da, db;
            if (fitScale)
            {
                var det = (haa * hbb) - (hab * hab);
                if (Math.Abs(det) < 1e-12) break;
                da = ((hbb * ga) - (hab * gb)) / det;
                db = ((haa * gb) - (hab * ga)) / det;
            }
            else
            {
                da = 0;
                db = gb / hbb;
            }

            var step = 1.0;
            var improved = false;
            while (step > 1e-10)
            {
                var candidate = Loss(z, t, a - (step * da), b - (step * db));
                if (candidate <= loss)
                {
                    a -= step * da;
                    b -= step * db;
                    improved = loss - candidate > 1e-15;
                    loss = candidate;
                    break;
                }

                step /= 2;
            }

            if (!improved || (Math.Abs(step * da) < 1e-10 && Math.Abs(step * db) < 1e-10)) break;
        }

        return (a, b);
    }

    /// <summary>Mean cross-entropy of sigmoid(a·z + b) against the smoothed targets, computed stably.</summary>
    private static double Loss(IReadOnlyList<double> z, double[] t, double a, double b)
    {
        var sum = 0.0;
        for (var i = 0; i < z.Count; i++)
        {
            var s = (a * z[i]) + b;
            // -[t·log σ(s) + (1 − t)·log(1 − σ(s))] = softplus(s) − t·s
            var softplus = s > 0 ? s + Math.Log(1 + Math.Exp(-s)) : Math.Log(1 + Math.Exp(s));
            sum += softplus - (t[i] * s);
        }

        return sum / z.Count;
    }
}
