using System.Text;
using Microsoft.Extensions.Configuration;
using RightSize.Classification;
using RightSize.Classification.Onnx;
using RightSize.Features;
using RightSize.Server.Configuration;
using RightSize.Server.Model;
using RightSize.Server.Policy;
using RightSize.Training.Data;

namespace RightSize.Cli.Tests;

/// <summary>
/// The gateway's own route policy on a route configured with what <c>calibrate</c> printed:
/// its <c>appsettings:</c> fragment (or its <c>environment:</c> variables) over three tiers
/// (without a small tier when <paramref name="withSmall"/> is false), validated and compiled as the
/// gateway does, and the model loaded as the gateway loads it.
/// </summary>
internal static class GatewayRoute
{
    /// <summary>The share of <paramref name="data"/>'s rows the gateway serves at each tier on that route.</summary>
    public static (double Small, double Mid, double Frontier) Shares(string calibrateOutput, string data, string model, string route = "auto", bool useEnvironment = false, bool withSmall = true)
    {
        var builder = new ConfigurationBuilder().AddInMemoryCollection(Tiers(withSmall));
        if (useEnvironment) builder.AddInMemoryCollection(Variables(Line(calibrateOutput, "environment: ")));
        else builder.AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(Line(calibrateOutput, "appsettings: "))));
        var options = new RightSizeOptions();
        builder.Build().GetSection(RightSizeOptions.SectionName).Bind(options);
        var validation = new RightSizeOptionsValidator(_ => null).Validate(null, options);
        Assert.False(validation.Failed, validation.FailureMessage);
        var routeModel = new GatewaySnapshotBuilder(_ => null, path => throw new FileNotFoundException(path)).Build(options, 1).RoutesByName[route];

        using var classifier = OnnxDifficultyClassifier.Load(model, FeatureExtractor.Default);
        var policy = new RoutePolicy(classifier);
        var rows = RoutingDataReader.ReadAll([data], requireFrontier: false);
        var counts = new int[3];
        foreach (var row in rows)
        {
            Assert.Null(policy.TryDecide(routeModel, row.Prompt, tierOverride: null, out var decision));
            counts[(int)decision!.Target.Tier]++;
        }

        return ((double)counts[0] / rows.Count, (double)counts[1] / rows.Count, (double)counts[2] / rows.Count);
    }

    private static Dictionary<string, string?> Tiers(bool withSmall)
    {
        var values = new Dictionary<string, string?> { ["RightSize:Upstreams:u:BaseUrl"] = "http://127.0.0.1:9/v1" };
        foreach (var tier in withSmall ? ["small", "mid", "frontier"] : new[] { "mid", "frontier" })
        {
            values[$"RightSize:Tiers:{tier}:Upstream"] = "u";
            values[$"RightSize:Tiers:{tier}:Model"] = "model-" + tier;
        }

        return values;
    }

    private static string Line(string output, string prefix)
    {
        var line = output.Split('\n').Select(l => l.TrimEnd('\r')).SingleOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        Assert.True(line is not null, $"no '{prefix}' line in: {output}");
        return line[prefix.Length..];
    }

    /// <summary>The variables of an <c>environment:</c> line as configuration keys ('__' is ':'); <c>""</c> is an empty value.</summary>
    private static Dictionary<string, string?> Variables(string line) =>
        line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => v.Split('=', 2)).ToDictionary(kv => kv[0].Replace("__", ":", StringComparison.Ordinal), kv => (string?)(kv[1] == "\"\"" ? string.Empty : kv[1]));
}
