using Microsoft.Extensions.Options;
using RightSize.Classification;
using RightSize.Server.Model;
using RightSize.Server.Tests.TestSupport;

namespace RightSize.Server.Tests.Model;

public class GatewaySnapshotBuilderTests
{
    [Fact]
    public void Build_RouteLevelTierOverride_MergesFieldByFieldWithTheGlobalTier()
    {
        var snapshot = SampleConfiguration.Snapshot(SampleConfiguration.With(
            ("RightSize:Routes:auto:Tiers:mid:Model", "gpt-4o-mini"),
            ("RightSize:Routes:auto:Tiers:small:Upstream", "openai"),
            ("RightSize:Routes:auto:Tiers:small:OutputPerMTok", "0.25")));

        var auto = snapshot.RoutesByName["auto"];
        var mid = auto.Targets[(int)Tier.Mid]!;
        Assert.Equal("gpt-4o-mini", mid.Model);
        Assert.Equal("openai", mid.Upstream.Name);
        Assert.Equal(new TierPrices(0.40m, 1.60m, 0.40m), mid.Prices);

        var small = auto.Targets[(int)Tier.Small]!;
        Assert.Equal("llama-3.2-3b", small.Model);
        Assert.Equal("openai", small.Upstream.Name);
        Assert.Equal(new TierPrices(0.05m, 0.25m, 0.05m), small.Prices);

        var frontier = auto.Targets[(int)Tier.Frontier]!;
        Assert.Equal(("gpt-4.1", "openai"), (frontier.Model, frontier.Upstream.Name));
    }

    [Fact]
    public void Build_RouteLevelTierOverride_LeavesOtherRoutesOnTheGlobalTier()
    {
        var snapshot = SampleConfiguration.Snapshot(SampleConfiguration.With(("RightSize:Routes:auto:Tiers:mid:Model", "gpt-4o-mini")));

        Assert.Equal("gpt-4.1-mini", snapshot.RoutesByName["support"].Targets[(int)Tier.Mid]!.Model);
    }

    [Fact]
    public void Build_RouteLevelTierWithExplicitZeroPrice_KeepsZero()
    {
        // A route serving its small tier from a free local model says so with InputPerMTok/OutputPerMTok 0;
        // the key is present, not left out, so cost and savings must use 0, not the global tier's price.
        var snapshot = SampleConfiguration.Snapshot(SampleConfiguration.With(
            ("RightSize:Routes:auto:Tiers:mid:Upstream", "local"),
            ("RightSize:Routes:auto:Tiers:mid:Model", "qwen-local"),
            ("RightSize:Routes:auto:Tiers:mid:InputPerMTok", "0"),
            ("RightSize:Routes:auto:Tiers:mid:OutputPerMTok", "0")));

        Assert.Equal(new TierPrices(0m, 0m, 0m), snapshot.RoutesByName["auto"].Targets[(int)Tier.Mid]!.Prices);
    }

    [Fact]
    public void Build_RouteLevelTierWithBlankUpstreamAndModel_InheritsTheGlobalTier()
    {
        // The validator treats a blank value as left out; the builder must too, rather than look up
        // an upstream named " " and fail after validation passed.
        var values = SampleConfiguration.With(
            ("RightSize:Routes:auto:Tiers:mid:Upstream", " "),
            ("RightSize:Routes:auto:Tiers:mid:Model", " "),
            ("RightSize:Routes:auto:Tiers:mid:InputPerMTok", "0.30"));
        var options = SampleConfiguration.Options(values);
        Assert.False(SampleConfiguration.Validator().Validate(null, options).Failed);

        var mid = SampleConfiguration.Builder().Build(options, 1).RoutesByName["auto"].Targets[(int)Tier.Mid]!;

        Assert.Equal(("gpt-4.1-mini", "openai", 0.30m), (mid.Model, mid.Upstream.Name, mid.Prices.InputPerMTok));
    }

    [Fact]
    public void Build_CachedInputPrice_DefaultsToInputPrice()
    {
        var snapshot = SampleConfiguration.Snapshot(SampleConfiguration.With(("RightSize:Tiers:frontier:CachedInputPerMTok", "0.50")));

        var auto = snapshot.RoutesByName["auto"];
        Assert.Equal(0.50m, auto.Targets[(int)Tier.Frontier]!.Prices.CachedInputPerMTok);
        Assert.Equal(0.40m, auto.Targets[(int)Tier.Mid]!.Prices.CachedInputPerMTok);
    }

    [Fact]
    public void Build_RouteSetsItsOwnInputPriceButNoCachedPrice_CachedTokensCostTheRoutesInputPrice()
    {
        // The global mid's cached price belongs to the global model; the route's cheaper model must
        // not have its cached tokens priced at it (they were, at 5, against the route's own 0.15).
        var snapshot = SampleConfiguration.Snapshot(SampleConfiguration.With(
            ("RightSize:Tiers:mid:CachedInputPerMTok", "5"),
            ("RightSize:Routes:auto:Tiers:mid:Model", "gpt-4o-mini"),
            ("RightSize:Routes:auto:Tiers:mid:InputPerMTok", "0.15"),
            ("RightSize:Routes:auto:Tiers:mid:OutputPerMTok", "0.60")));

        Assert.Equal(new TierPrices(0.15m, 0.60m, 0.15m), snapshot.RoutesByName["auto"].Targets[(int)Tier.Mid]!.Prices);
        Assert.Equal(new TierPrices(0.40m, 1.60m, 5m), snapshot.RoutesByName["support"].Targets[(int)Tier.Mid]!.Prices);
    }

    [Fact]
    public void Build_RouteSetsOnlyItsOutputPrice_KeepsTheGlobalCachedPrice()
    {
        var snapshot = SampleConfiguration.Snapshot(SampleConfiguration.With(
            ("RightSize:Tiers:mid:CachedInputPerMTok", "0.10"),
            ("RightSize:Routes:auto:Tiers:mid:OutputPerMTok", "2")));

        Assert.Equal(new TierPrices(0.40m, 2m, 0.10m), snapshot.RoutesByName["auto"].Targets[(int)Tier.Mid]!.Prices);
    }

    [Fact]
    public void Build_Routes_HaveDefaultPathPrefixPlusConfiguredOneWithoutDuplicates()
    {
        var snapshot = SampleConfiguration.Snapshot(SampleConfiguration.With(("RightSize:Routes:auto:PathPrefix", "/team/auto")));

        Assert.Equal(["/routes/auto", "/team/auto"], snapshot.RoutesByName["auto"].PathPrefixes);
        Assert.Equal(["/routes/support"], snapshot.RoutesByName["support"].PathPrefixes);
    }

    [Fact]
    public void Build_PathPrefixes_AreOrderedLongestFirst()
    {
        var snapshot = SampleConfiguration.Snapshot(SampleConfiguration.With(("RightSize:Routes:auto:PathPrefix", "/a")));

        var lengths = snapshot.RoutesByPathPrefix.Select(p => p.Key.Length).ToList();
        Assert.Equal(3, lengths.Count);
        Assert.Equal(lengths.OrderByDescending(l => l), lengths);
    }

    [Fact]
    public void Build_ClaimedModels_MapToTheirRoute()
    {
        var snapshot = SampleConfiguration.Snapshot();

        Assert.Same(snapshot.RoutesByName["support"], snapshot.RoutesByClaimedModel["gpt-4o"]);
        Assert.Single(snapshot.RoutesByClaimedModel);
    }

    [Fact]
    public void Build_Passthrough_HoldsEveryTierModelNotClaimedByARoute()
    {
        var snapshot = SampleConfiguration.Snapshot(SampleConfiguration.With(
            ("RightSize:Routes:support:ClaimModels:1", "gpt-4.1-mini"),
            ("RightSize:Routes:auto:Tiers:small:Model", "phi-4")));

        Assert.Equal(["gpt-4.1", "llama-3.2-3b", "phi-4"], snapshot.PassthroughModels.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("openai", snapshot.PassthroughModels["gpt-4.1"].Name);
        Assert.Equal("local", snapshot.PassthroughModels["phi-4"].Name);
        Assert.Null(snapshot.PassthroughFallback);
    }

    [Fact]
    public void Build_PassthroughDisabled_HasNoPassthroughModelsAndNoFallback()
    {
        var snapshot = SampleConfiguration.Snapshot(SampleConfiguration.With(
            ("RightSize:Passthrough:Enabled", "false"),
            ("RightSize:Passthrough:Upstream", "openai")));

        Assert.Empty(snapshot.PassthroughModels);
        Assert.Null(snapshot.PassthroughFallback);
    }

    [Fact]
    public void Build_PassthroughUpstream_IsTheFallback()
    {
        var snapshot = SampleConfiguration.Snapshot(SampleConfiguration.With(("RightSize:Passthrough:Upstream", "openai")));

        Assert.Equal("openai", snapshot.PassthroughFallback?.Name);
    }

    [Fact]
    public void Build_ApiKeyEnv_GivesBearerAuthorization()
    {
        var snapshot = SampleConfiguration.Snapshot();

        var openai = snapshot.RoutesByName["auto"].Targets[(int)Tier.Frontier]!.Upstream;
        Assert.Equal("Bearer " + SampleConfiguration.OpenAIKey, openai.Authorization);
    }

    [Fact]
    public void Build_ApiKeyFile_GivesBearerAuthorizationFromTheTrimmedFile()
    {
        var files = new Dictionary<string, string> { ["/run/secrets/local"] = "sk-from-file\n" };
        var builder = new GatewaySnapshotBuilder(SampleConfiguration.Environment, path => files[path]);
        var options = SampleConfiguration.Options(SampleConfiguration.With(("RightSize:Upstreams:local:ApiKeyFile", "/run/secrets/local")));

        var snapshot = builder.Build(options, 1);

        Assert.Equal("Bearer sk-from-file", snapshot.RoutesByName["auto"].Targets[(int)Tier.Small]!.Upstream.Authorization);
    }

    [Fact]
    public void Build_ApiKeyEnvEndingInALineBreak_SendsTheKeyAlone()
    {
        var builder = new GatewaySnapshotBuilder(name => name == SampleConfiguration.OpenAIKeyVariable ? "sk-env\n" : null, SampleConfiguration.NoFile);

        var snapshot = builder.Build(SampleConfiguration.Options(), 1);

        Assert.Equal("Bearer sk-env", snapshot.RoutesByName["auto"].Targets[(int)Tier.Frontier]!.Upstream.Authorization);
    }

    [Theory]
    [InlineData("sk-line1\r\nX-Injected: yes")]
    [InlineData("sk-two words")]
    [InlineData("sk-caf\u00e9")]
    public void Build_KeyFileWithALineBreakOrSpaceInside_IsAnErrorThatDoesNotShowTheKey(string key)
    {
        var builder = new GatewaySnapshotBuilder(SampleConfiguration.Environment, _ => key + "\n");
        var options = SampleConfiguration.Options(SampleConfiguration.With(("RightSize:Upstreams:local:ApiKeyFile", "/run/secrets/local")));

        var error = Assert.Single(Assert.Throws<OptionsValidationException>(() => builder.Build(options, 1)).Failures);

        Assert.StartsWith("RightSize:Upstreams:local: the key from ApiKeyFile holds a space, a line break", error);
        Assert.DoesNotContain("sk-", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_ApiKeyEnvAndFile_PrefersTheEnvironment()
    {
        var builder = new GatewaySnapshotBuilder(SampleConfiguration.Environment, _ => "sk-from-file");
        var options = SampleConfiguration.Options(SampleConfiguration.With(("RightSize:Upstreams:openai:ApiKeyFile", "/run/secrets/openai")));

        var snapshot = builder.Build(options, 1);

        Assert.Equal("Bearer " + SampleConfiguration.OpenAIKey, snapshot.RoutesByName["auto"].Targets[(int)Tier.Mid]!.Upstream.Authorization);
    }

    [Fact]
    public void Build_UpstreamWithoutKey_HasNoAuthorization()
    {
        var snapshot = SampleConfiguration.Snapshot();

        Assert.Null(snapshot.RoutesByName["auto"].Targets[(int)Tier.Small]!.Upstream.Authorization);
    }

    [Fact]
    public void Build_BaseUrl_LosesItsTrailingSlash()
    {
        var snapshot = SampleConfiguration.Snapshot();

        Assert.Equal("http://127.0.0.1:8000/v1", snapshot.RoutesByName["auto"].Targets[(int)Tier.Small]!.Upstream.BaseUrl);
    }

    [Fact]
    public void UpstreamToString_WithKey_NeverShowsTheKey()
    {
        var snapshot = SampleConfiguration.Snapshot();
        var openai = snapshot.RoutesByName["auto"].Targets[(int)Tier.Frontier]!.Upstream;

        var text = openai.ToString();
        var targetText = snapshot.RoutesByName["auto"].Targets[(int)Tier.Frontier]!.ToString();

        Assert.Equal("openai (https://api.openai.com/v1)", text);
        Assert.DoesNotContain(SampleConfiguration.OpenAIKey, targetText);
    }

    [Fact]
    public void Build_EmbeddingsUpstream_DefaultsToTheRoutesHighestTier()
    {
        var snapshot = SampleConfiguration.Snapshot(SampleConfiguration.With(
            ("RightSize:Tiers:mid:Upstream", "local"),
            ("RightSize:Routes:auto:Embeddings:Upstream", "local"),
            ("RightSize:Routes:auto:Embeddings:Model", "text-embedding-3-small")));

        Assert.Equal("local", snapshot.RoutesByName["support"].EmbeddingsUpstream.Name);
        Assert.Null(snapshot.RoutesByName["support"].EmbeddingsModel);
        Assert.Equal("local", snapshot.RoutesByName["auto"].EmbeddingsUpstream.Name);
        Assert.Equal("text-embedding-3-small", snapshot.RoutesByName["auto"].EmbeddingsModel);
    }

    [Fact]
    public void Build_RouteSettings_AreCompiledWithDefaults()
    {
        var snapshot = SampleConfiguration.Snapshot(generation: 7);

        Assert.Equal(7, snapshot.Generation);
        var auto = snapshot.RoutesByName["auto"];
        Assert.Equal((0.7, 0.6), (auto.Threshold, auto.MinConfidence));
        Assert.Equal((Tier.Small, Tier.Frontier, Tier.Mid), (auto.MinTier, auto.MaxTier, auto.DefaultTier));
        Assert.Null(auto.FixedTier);
        Assert.Equal(Tier.Mid, auto.Rules.ToolsMinTier);
        Assert.Equal(Tier.Mid, auto.Rules.MediaMinTier);
        Assert.Null(auto.Rules.LongPromptTokens);
        Assert.True(auto.AllowTierOverride);
        Assert.Equal(Tier.Mid, snapshot.RoutesByName["support"].MaxTier);
    }

    [Fact]
    public void Build_EmptyToolsMinTier_TurnsTheRuleOff()
    {
        var snapshot = SampleConfiguration.Snapshot(SampleConfiguration.With(("RightSize:Routes:auto:Rules:ToolsMinTier", "")));

        Assert.Null(snapshot.RoutesByName["auto"].Rules.ToolsMinTier);
    }

    [Theory]
    [InlineData("", null)]
    [InlineData("Frontier", Tier.Frontier)]
    [InlineData("small", Tier.Small)]
    public void Build_MediaMinTier_EmptyTurnsTheRuleOffAnyCaseNamesATier(string value, Tier? expected)
    {
        var snapshot = SampleConfiguration.Snapshot(SampleConfiguration.With(("RightSize:Routes:auto:Rules:MediaMinTier", value)));

        Assert.Equal(expected, snapshot.RoutesByName["auto"].Rules.MediaMinTier);
        Assert.Equal(Tier.Mid, snapshot.RoutesByName["auto"].Rules.ToolsMinTier);
    }
}
