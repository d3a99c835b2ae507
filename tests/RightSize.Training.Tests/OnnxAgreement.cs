using RightSize.Classification.Onnx;
using RightSize.Features;
using RightSize.Training.Data;
using RightSize.Training.Model;
using RightSize.Training.Onnx;

namespace RightSize.Training.Tests;

/// <summary>Scores rows with a trained model twice: by the reference forward pass and by ONNX Runtime on the exported file.</summary>
internal static class OnnxAgreement
{
    public static List<(float[] Expected, float[] Actual)> Predict(SparseModel model, IEnumerable<RoutingRow> rows)
    {
        var path = Path.Combine(Path.GetTempPath(), $"rightsize-roundtrip-{Guid.NewGuid():N}.onnx");
        try
        {
            OnnxModelExporter.ExportToFile(model, path);
            using var session = SparseOnnxSession.Open(path, model.Dimension);
            var features = new SparseFeatures();
            var pairs = new List<(float[], float[])>();
            foreach (var row in rows)
            {
                FeatureExtractor.Default.Extract(row.Prompt, features);
                var (expected, actual) = (new float[2], new float[2]);
                SparseModelForward.Predict(model, features.IndicesSpan, features.ValuesSpan, expected);
                session.Predict(features.IndicesSpan, features.ValuesSpan, actual);
                pairs.Add((expected, actual));
            }

            return pairs;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
