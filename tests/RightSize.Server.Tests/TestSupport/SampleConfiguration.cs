using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Testing;
using RightSize.Server.Configuration;
using RightSize.Server.Model;

namespace RightSize.Server.Tests.TestSupport;

/// <summary>
/// The DESIGN example configuration as flat configuration keys, the fakes for the environment and
/// key files, and helpers that bind and build it the way the gateway does.
/// </summary>
internal static class SampleConfiguration
{
    public const string OpenAIKeyVariable = "OPENAI_API_KEY";
    public const string OpenAIKey = "sk-test-openai-0123456789";

    public static Dictionary<string, string?> Values() => new(StringComparer.OrdinalIgnoreCase)
    {
        ["RightSize:Upstreams:openai:BaseUrl"] = "https://api.openai.com/v1",
        ["RightSize:Upstreams:openai:ApiKeyEnv"] = OpenAIKeyVariable,
        ["RightSize:Upstreams:local:BaseUrl"] = "http://127.0.0.1:8000/v1/",
        ["RightSize:Tiers:small:Upstream"] = "local",
        ["RightSize:Tiers:small:Model"] = "llama-3.2-3b",
        ["RightSize:Tiers:small:InputPerMTok"] = "0.05",
        ["RightSize:Tiers:small:OutputPerMTok"] = "0.10",
        ["RightSize:Tiers:mid:Upstream"] = "openai",
        ["RightSize:Tiers:mid:Model"] = "gpt-4.1-mini",
        ["RightSize:Tiers:mid:InputPerMTok"] = "0.40",
        ["RightSize:Tiers:mid:OutputPerMTok"] = "1.60",
        ["RightSize:Tiers:frontier:Upstream"] = "openai",
        ["RightSize:Tiers:frontier:Model"] = "gpt-4.1",
        ["RightSize:Tiers:frontier:InputPerMTok"] = "2.00",
        ["RightSize:Tiers:frontier:OutputPerMTok"] = "8.00",
        ["RightSize:Routes:auto:Threshold"] = "0.7",
        ["RightSize:Routes:auto:MinConfidence"] = "0.6",
        ["RightSize:Routes:support:PathPrefix"] = "/routes/support",
        ["RightSize:Routes:support:ClaimModels:0"] = "gpt-4o",
        ["RightSize:Routes:support:MaxTier"] = "mid",
    };

    /// <summary>The environment the tests run in: only the OpenAI key is set.</summary>
    public static string? Environment(string name) => name == OpenAIKeyVariable ? OpenAIKey : null;

    public static string NoFile(string path) => throw new FileNotFoundException("No key files in this test.", path);

    public static IConfigurationRoot Configuration(Dictionary<string, string?>? values = null) =>
        new ConfigurationBuilder().AddInMemoryCollection(values ?? Values()).Build();

    /// <summary>Binds <paramref name="values"/> (default: the sample) as the gateway does.</summary>
    public static RightSizeOptions Options(Dictionary<string, string?>? values = null)
    {
        var options = new RightSizeOptions();
        Configuration(values).GetSection(RightSizeOptions.SectionName).Bind(options);
        return options;
    }

    public static RightSizeOptionsValidator Validator() => new(Environment);

    public static GatewaySnapshotBuilder Builder() => new(Environment, NoFile);

    /// <summary>A snapshot store over <paramref name="configuration"/>, built the way the gateway builds it.</summary>
    public static GatewaySnapshotStore Store(IConfigurationRoot configuration, FakeLogger<GatewaySnapshotStore>? logger = null, IEnumerable<KnownSetting>? readElsewhere = null, GatewaySnapshotBuilder? builder = null) =>
        new(configuration, Validator(), builder ?? Builder(), logger ?? new FakeLogger<GatewaySnapshotStore>(), readElsewhere);

    public static GatewaySnapshot Snapshot(Dictionary<string, string?>? values = null, int generation = 1) =>
        Builder().Build(Options(values), generation);

    /// <summary>The sample with <paramref name="changes"/> applied; a null value removes the key.</summary>
    public static Dictionary<string, string?> With(params (string Key, string? Value)[] changes)
    {
        var values = Values();
        foreach (var (key, value) in changes)
        {
            if (value is null) values.Remove(key);
            else values[key] = value;
        }

        return values;
    }
}
