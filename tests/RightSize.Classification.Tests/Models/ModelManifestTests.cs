using System.Text;
using System.Text.Json.Nodes;
using RightSize.Classification.Models;

namespace RightSize.Classification.Tests.Models;

public sealed class ModelManifestTests
{
    [Fact]
    public void Write_ThenRead_RoundTripsEveryField()
    {
        using var dir = new TempDirectory();
        var manifest = new ModelManifest
        {
            Input = new ModelInput { Dimension = 262400 },
            FeatureSchema = new FeatureSchemaReference { Version = 3, Hash = "abc123" },
            DataHash = "sha256:ff",
            Seed = 42,
            Metrics = new JsonObject { ["apgr"] = 0.71, ["sources"] = new JsonArray("mmlu", "gsm8k") },
            CreatedAt = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero),
            Trainer = "rightsize train",
        };

        manifest.WriteToFile(dir.File("manifest.json"));
        var read = ModelManifest.Read(dir.File("manifest.json"));

        Assert.Equal(1, read.Format);
        Assert.Equal(["small", "mid"], read.Labels);
        Assert.Equal("indices", read.Input.Indices);
        Assert.Equal("values", read.Input.Values);
        Assert.Equal(262400, read.Input.Dimension);
        Assert.Equal("p_good", read.Output);
        Assert.Equal(manifest.FeatureSchema, read.FeatureSchema);
        Assert.Equal("sha256:ff", read.DataHash);
        Assert.Equal(42, read.Seed);
        Assert.Equal(0.71, read.Metrics!["apgr"]!.GetValue<double>());
        Assert.Equal(manifest.CreatedAt, read.CreatedAt);
        Assert.Equal("rightsize train", read.Trainer);
    }

    [Fact]
    public void Write_UsesTheDocumentedPropertyNames()
    {
        using var stream = new MemoryStream();
        new ModelManifest { Input = new ModelInput { Dimension = 5 }, FeatureSchema = new FeatureSchemaReference { Version = 1, Hash = "h" }, DataHash = "d" }.Write(stream);
        var json = JsonNode.Parse(Encoding.UTF8.GetString(stream.ToArray()))!.AsObject();

        Assert.Equal(1, json["format"]!.GetValue<int>());
        Assert.Equal("h", json["featureSchema"]!["hash"]!.GetValue<string>());
        Assert.Equal(5, json["input"]!["dimension"]!.GetValue<int>());
        Assert.Equal("d", json["dataHash"]!.GetValue<string>());
        Assert.Equal("p_good", json["output"]!.GetValue<string>());
    }

    [Fact]
    public void Read_UnknownFields_AreKeptOnRewrite()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("manifest.json"), """{"format":1,"labels":["small","mid"],"input":{"dimension":3},"output":"p_good","featureSchema":{"version":1,"hash":"x"},"calibration":{"method":"platt"}}""");

        var read = ModelManifest.Read(dir.File("manifest.json"));
        read.WriteToFile(dir.File("again.json"));

        Assert.Contains("platt", File.ReadAllText(dir.File("again.json")));
    }

    [Fact]
    public void Read_MalformedJson_NamesTheFileAndLine()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("manifest.json"), "{\n  \"format\": 1,\n  \"labels\": [\"small\",\n");

        var ex = Assert.Throws<ClassifierModelException>(() => ModelManifest.Read(dir.File("manifest.json")));

        Assert.Contains(dir.File("manifest.json"), ex.Message);
        Assert.Contains("line", ex.Message);
    }

    [Fact]
    public void Read_FileThatCannotBeRead_ModelExceptionNamingTheFile()
    {
        using var dir = new TempDirectory();
        var path = dir.UnreadableFile("manifest.json");

        var ex = Assert.Throws<ClassifierModelException>(() => ModelManifest.Read(path));

        Assert.StartsWith($"The model manifest '{path}' cannot be read: ", ex.Message, StringComparison.Ordinal);
        Assert.IsType<IOException>(ex.InnerException);
    }

    [Fact]
    public void Read_MissingFile_NamesTheFile()
    {
        var ex = Assert.Throws<ClassifierModelException>(() => ModelManifest.Read("/nonexistent/manifest.json"));

        Assert.Contains("/nonexistent/manifest.json", ex.Message);
    }

    [Theory]
    [InlineData("featureSchema")]
    [InlineData("input")]
    public void Read_RequiredObjectNull_NamesTheFileAndTheField(string field)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("manifest.json"), $$"""{"format": 1, "input": {"dimension": 3}, "featureSchema": {"version": 1}, "{{field}}": null}""");

        var ex = Assert.Throws<ClassifierModelException>(() => ModelManifest.Read(dir.File("manifest.json")));

        Assert.Contains(dir.File("manifest.json"), ex.Message);
        Assert.Contains($"'{field}' is missing or null", ex.Message);
    }

    [Fact]
    public void Read_NamesAndLabelsLeftOutOrNull_TakeTheContractDefaults()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("manifest.json"), """{"format":1,"labels":null,"input":{"dimension":3},"featureSchema":{"version":1}}""");

        var read = ModelManifest.Read(dir.File("manifest.json"));

        Assert.Equal(ModelManifest.ContractLabels, read.Labels);
        Assert.Equal("p_good", read.Output);
        Assert.Equal(("indices", "values", 3), (read.Input.Indices, read.Input.Values, read.Input.Dimension));
        Assert.Equal(string.Empty, read.FeatureSchema.Hash);
    }
}
