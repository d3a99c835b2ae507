using Microsoft.Extensions.Time.Testing;
using RightSize.Features;
using RightSize.Training.Model;
using RightSize.Training.Onnx;

namespace RightSize.Cli.Tests;

/// <summary>A temporary directory to run <c>rightsize</c> in: data files, model directories, captured output.</summary>
public sealed class CliSandbox : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("rs-cli-").FullName;

    public void Dispose() => Directory.Delete(Dir, recursive: true);

    public string PathOf(string name) => Path.Combine(Dir, name);

    /// <summary>Runs <c>rightsize</c> with stdout and stderr redirected (neither is a terminal), as in a script.</summary>
    public static (int Code, string Out, string Err) Run(params string[] args) => Run(errorIsTerminal: false, args);

    /// <summary>Runs <c>rightsize</c>; <paramref name="errorIsTerminal"/> makes it take stderr for a terminal.</summary>
    public static (int Code, string Out, string Err) Run(bool errorIsTerminal, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = RightSizeCli.Run(args, output, error, new FakeTimeProvider(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero)), errorIsTerminal);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>The error lines of a usage error: what stderr holds before the blank line and the help that follow them.</summary>
    public static string[] UsageErrors(string err) => [.. err.Split('\n').Select(line => line.TrimEnd()).TakeWhile(line => line.Length > 0)];

    /// <summary>Labelled rows: even ids are hard (small wrong), the rest easy; every third row has no small tier (without <paramref name="withSmall"/>, no row has one).</summary>
    public string Data(string name, int rows, bool withSmall = true)
    {
        var path = PathOf(name);
        var lines = new List<string>();
        for (var i = 0; i < rows; i++)
        {
            var hard = i % 2 == 0;
            var text = hard ? $"prove the integral theorem {i} step by step" : $"say hello to friend {i}";
            var tiers = i % 3 == 0 || !withSmall ? """{"mid":"m","frontier":"f"}""" : """{"small":"s","mid":"m","frontier":"f"}""";
            lines.Add($$"""{"id":"r{{i}}","source":"{{(i % 3 == 0 ? "two" : "three")}}","messages":[{"role":"user","content":"{{text}}"}],"scores":{"s":{{(hard ? 0 : 1)}},"m":{{(hard && i % 4 == 0 ? 0 : 1)}},"f":1},"tiers":{{tiers}}}""");
        }

        File.WriteAllLines(path, lines);
        return path;
    }

    /// <summary>A copy of <paramref name="source"/> under a new name, to tamper with.</summary>
    public string CopyModel(string source, string name)
    {
        var target = PathOf(name);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source)) File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        return target;
    }

    /// <summary>
    /// Replaces a model's graph by a linear one whose two outputs are sigmoid(<paramref name="bias"/>)
    /// for every prompt, and removes its golden vectors (which the new graph would not reproduce):
    /// a model dropped in from elsewhere.
    /// </summary>
    public static void ReplaceGraph(string modelDir, float bias) => ReplaceGraph(modelDir, bias, bias);

    /// <summary>As <see cref="ReplaceGraph(string, float)"/> with a bias per output: sigmoid(NaN) is NaN, a tier the model does not judge.</summary>
    public static void ReplaceGraph(string modelDir, float smallBias, float midBias)
    {
        ReplaceGraphKeepingGoldenVectors(modelDir, smallBias, midBias);
        File.Delete(Path.Combine(modelDir, "golden.jsonl"));
    }

    /// <summary>As <see cref="ReplaceGraph(string, float, float)"/>, but the old golden vectors stay: a model.onnx that does not belong to its directory.</summary>
    public static void ReplaceGraphKeepingGoldenVectors(string modelDir, float smallBias, float midBias)
    {
        var dimension = FeatureExtractor.Default.Schema.Dimension;
        var model = new SparseModel { Dimension = dimension, HiddenSize = 0, Embedding = new float[dimension * 2], OutputBias = [smallBias, midBias] };
        OnnxModelExporter.ExportToFile(model, Path.Combine(modelDir, "model.onnx"));
    }

    /// <summary>
    /// Replaces a file by one that exists but cannot be read, whoever runs the test (root reads
    /// through chmod 000): a link to /proc/self/mem, whose first bytes (address 0, never mapped)
    /// fail with an I/O error. Linux only; the test is skipped elsewhere.
    /// </summary>
    public static void MakeUnreadable(string file)
    {
        if (!OperatingSystem.IsLinux()) Assert.Skip("needs /proc/self/mem");
        File.Delete(file);
        File.CreateSymbolicLink(file, "/proc/self/mem");
    }
}

/// <summary>One model trained once for a test class (training takes about a second).</summary>
public sealed class TrainedModel : IDisposable
{
    public TrainedModel()
    {
        var data = Sandbox.Data("train.jsonl", 120);
        Dir = Sandbox.PathOf("model");
        var (code, _, err) = CliSandbox.Run("train", "--data", data, "--out", Dir, "--seed", "3", "--epochs", "2");
        if (code != 0) throw new InvalidOperationException("training the fixture model failed: " + err);
    }

    public CliSandbox Sandbox { get; } = new();

    public string Dir { get; }

    public void Dispose() => Sandbox.Dispose();
}
