using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RightSize.Classification;
using RightSize.Classification.Onnx;
using RightSize.Features;
using RightSize.Server.Configuration;

namespace RightSize.Server.Classification;

/// <summary>
/// Loads the classifier named by <c>RightSize:Classifier:ModelPath</c> (a <c>model.onnx</c> or its
/// directory; relative paths are tried against the content root, then the application directory),
/// or none when the key is empty. A missing, corrupt, mismatched or golden-failing model stops
/// start-up with a message that names the file and the fix.
/// </summary>
internal static class ClassifierLoader
{
    public static IDifficultyClassifier Load(IServiceProvider services)
    {
        var options = services.GetRequiredService<GatewaySnapshotStore>().Current.Classifier;
        if (string.IsNullOrWhiteSpace(options.ModelPath)) return new NoModelClassifier();
        var contentRoot = services.GetService<IHostEnvironment>()?.ContentRootPath ?? AppContext.BaseDirectory;
        var path = Resolve(options.ModelPath, contentRoot);
        return options.VerifyGoldenVectors
            ? OnnxDifficultyClassifier.LoadVerified(path, FeatureExtractor.Default, howToSkip: "set RightSize:Classifier:VerifyGoldenVectors=false to load it anyway")
            : OnnxDifficultyClassifier.Load(path, FeatureExtractor.Default);
    }

    private static string Resolve(string configured, string contentRoot)
    {
        if (Path.IsPathRooted(configured)) return configured;
        var fromContentRoot = Path.GetFullPath(Path.Combine(contentRoot, configured));
        if (File.Exists(fromContentRoot) || Directory.Exists(fromContentRoot)) return fromContentRoot;
        var fromApp = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, configured));
        return File.Exists(fromApp) || Directory.Exists(fromApp) ? fromApp : fromContentRoot;
    }
}
