using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RightSize.Classification;
using RightSize.Server.Configuration;

namespace RightSize.Server.Classification;

/// <summary>Creates the classifier named by <c>RightSize:Classifier:ModelPath</c>, or none when it is empty.</summary>
internal static class ClassifierLoader
{
    public static IDifficultyClassifier Load(IServiceProvider services)
    {
        var snapshot = services.GetRequiredService<GatewaySnapshotStore>().Current;
        var path = snapshot.Classifier.ModelPath;
        if (string.IsNullOrWhiteSpace(path)) return new NoModelClassifier();
        var root = services.GetService<IHostEnvironment>()?.ContentRootPath ?? AppContext.BaseDirectory;
        var full = Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(root, path));
        throw new InvalidOperationException($"RightSize:Classifier:ModelPath names '{full}', but this build has no ONNX classifier yet; leave ModelPath empty.");
    }
}
