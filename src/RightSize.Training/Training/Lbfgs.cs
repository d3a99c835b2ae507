namespace RightSize.Training.Training;

/// <summary>
/// Limited-memory BFGS for smooth convex objectives (Nocedal and Wright, algorithm 7.5, with a
/// backtracking Armijo line search). Deterministic: no randomness, fixed arithmetic order.
/// </summary>
internal static class Lbfgs
{
    private const int Memory = 10;
    private const double Armijo = 1e-4;

    /// <summary>An objective: writes the gradient at x into gradient and returns the value.</summary>
    public delegate double Objective(ReadOnlySpan<double> x, Span<double> gradient);

    /// <summary>Minimises from x (updated in place); returns the iterations run.</summary>
    public static int Minimize(Objective objective, double[] x, int maxIterations, double tolerance)
    {
        var n = x.Length;
        var g = new double[n];
        var direction = new double[n];
        var candidate = new double[n];
        var candidateGradient = new double[n];
        var s = new List<double[]>(Memory);
        var y = new List<double[]>(Memory);
        var rho = new List<double>(Memory);
        var alpha = new double[Memory];
        var f = objective(x, g);
        for (var iteration = 1; iteration <= maxIterations; iteration++)
        {
            if (NormInf(g) <= tolerance) return iteration - 1;
            TwoLoop(g, s, y, rho, alpha, direction);
            var slope = Dot(g, direction);
            if (slope >= 0)
            {
                // Not a descent direction (numerical trouble): restart from steepest descent.
                s.Clear();
                y.Clear();
                rho.Clear();
                for (var i = 0; i < n; i++) direction[i] = -g[i];
                slope = -Dot(g, g);
            }

            var step = s.Count == 0 ? 1 / Math.Max(1, Math.Sqrt(-slope)) : 1.0;
            double next;
            while (true)
            {
                for (var i = 0; i < n; i++) candidate[i] = x[i] + (step * direction[i]);
                next = objective(candidate, candidateGradient);
                if (next <= f + (Armijo * step * slope) || step < 1e-12) break;
                step /= 2;
            }

            if (f - next <= 1e-12 * Math.Max(1, Math.Abs(f))) return iteration;
            var sk = new double[n];
            var yk = new double[n];
            for (var i = 0; i < n; i++)
            {
                sk[i] = candidate[i] - x[i];
                yk[i] = candidateGradient[i] - g[i];
            }

            var sy = Dot(sk, yk);
            if (sy > 1e-12)
            {
                if (s.Count == Memory)
                {
                    s.RemoveAt(0);
                    y.RemoveAt(0);
                    rho.RemoveAt(0);
                }

                s.Add(sk);
                y.Add(yk);
                rho.Add(1 / sy);
            }

            Array.Copy(candidate, x, n);
            Array.Copy(candidateGradient, g, n);
            f = next;
        }

        return maxIterations;
    }

    private static void TwoLoop(double[] g, List<double[]> s, List<double[]> y, List<double> rho, double[] alpha, double[] direction)
    {
        var n = g.Length;
        for (var i = 0; i < n; i++) direction[i] = -g[i];
        for (var k = s.Count - 1; k >= 0; k--)
        {
            alpha[k] = rho[k] * Dot(s[k], direction);
            Axpy(-alpha[k], y[k], direction);
        }

        if (s.Count > 0)
        {
            var last = s.Count - 1;
            var gamma = Dot(s[last], y[last]) / Dot(y[last], y[last]);
            for (var i = 0; i < n; i++) direction[i] *= gamma;
        }

        for (var k = 0; k < s.Count; k++)
        {
            var beta = rho[k] * Dot(y[k], direction);
            Axpy(alpha[k] - beta, s[k], direction);
        }
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    private static void Axpy(double a, double[] x, double[] y)
    {
        for (var i = 0; i < x.Length; i++) y[i] += a * x[i];
    }

    private static double NormInf(double[] a)
    {
        double max = 0;
        foreach (var v in a) max = Math.Max(max, Math.Abs(v));
        return max;
    }
}
