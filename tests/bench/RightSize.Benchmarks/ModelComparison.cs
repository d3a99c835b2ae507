using System.Diagnostics;
using System.Globalization;
using RightSize.Classification.Onnx;
using RightSize.Features;

namespace RightSize.Benchmarks;

/// <summary>
/// <c>compare-models A.onnx B.onnx ...</c>: ONNX Runtime time per call of several model files on
/// the same features (the 2 KB benchmark prompt), timed in alternating rounds in one process, so
/// that a machine whose speed drifts between runs treats every model alike. Prints the median
/// over rounds and each model's ratio to the first.
/// </summary>
internal static class ModelComparison
{
    private const int Rounds = 10;
    private const int CallsPerBatch = 500;
    private static readonly TimeSpan RoundTime = TimeSpan.FromSeconds(2);

    public static int Run(IReadOnlyList<string> paths)
    {
        if (paths.Count < 2)
        {
            Console.Error.WriteLine("usage: compare-models A.onnx B.onnx [...] (the models must take the default feature schema's dimension)");
            return 2;
        }

        var missing = paths.FirstOrDefault(path => !File.Exists(path));
        if (missing is not null)
        {
            Console.Error.WriteLine($"compare-models: '{missing}' does not exist.");
            return 2;
        }

        var extractor = FeatureExtractor.Default;
        var features = new SparseFeatures();
        extractor.Extract(BenchmarkPrompts.Create(2 * 1024, seed: 7), features);
        var sessions = paths.Select(path => SparseOnnxSession.Open(path, extractor.Schema.Dimension)).ToArray();
        try
        {
            var probabilities = new float[2];
            var times = sessions.Select(_ => new List<double>()).ToArray();
            for (var round = 0; round < Rounds; round++)
            {
                for (var m = 0; m < sessions.Length; m++) times[m].Add(MicrosecondsPerCall(sessions[m], features, probabilities));
            }

            Console.WriteLine($"{features.Count} features, {Rounds} alternating rounds of {RoundTime.TotalSeconds:F0} s per model");
            Console.WriteLine("| model | p_small, p_mid | median µs per call | min | ratio to the first |");
            Console.WriteLine("|---|---|---:|---:|---:|");
            var first = Median(times[0]);
            for (var m = 0; m < sessions.Length; m++)
            {
                sessions[m].Predict(features.IndicesSpan, features.ValuesSpan, probabilities);
                var median = Median(times[m]);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {paths[m]} | {probabilities[0]:F6}, {probabilities[1]:F6} | {median:F2} | {times[m].Min():F2} | {median / first:F3} |"));
            }

            return 0;
        }
        finally
        {
            foreach (var session in sessions) session.Dispose();
        }
    }

    private static double MicrosecondsPerCall(SparseOnnxSession session, SparseFeatures features, float[] probabilities)
    {
        var calls = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < RoundTime)
        {
            for (var i = 0; i < CallsPerBatch; i++) session.Predict(features.IndicesSpan, features.ValuesSpan, probabilities);
            calls += CallsPerBatch;
        }

        return clock.Elapsed.TotalMicroseconds / calls;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return (sorted[(sorted.Length - 1) / 2] + sorted[sorted.Length / 2]) / 2;
    }
}
