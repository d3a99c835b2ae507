using RightSize.Server.Configuration;
using RightSize.Server.Tests.TestSupport;

namespace RightSize.Server.Tests.Configuration;

public class RightSizeOptionsValidatorTests
{
    [Fact]
    public void Validate_DesignExampleConfiguration_Succeeds()
    {
        var result = SampleConfiguration.Validator().Validate(null, SampleConfiguration.Options());

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_UpstreamWithExistingKeyFile_Succeeds()
    {
        var keyFile = Path.GetTempFileName();
        try
        {
            var options = SampleConfiguration.Options(SampleConfiguration.With(("RightSize:Upstreams:local:ApiKeyFile", keyFile)));

            var result = SampleConfiguration.Validator().Validate(null, options);

            Assert.True(result.Succeeded, result.FailureMessage);
        }
        finally
        {
            File.Delete(keyFile);
        }
    }

    [Fact]
    public void Validate_ManyBrokenKeys_ReportsEveryErrorAtOnceNamingItsKey()
    {
        var values = SampleConfiguration.With(
            ("RightSize:Tiers:mid:Upstream", "nowhere"),
            ("RightSize:Tiers:huge:Upstream", "local"),
            ("RightSize:Tiers:huge:Model", "huge-model"),
            ("RightSize:Routes:auto:Threshold", "1.5"),
            ("RightSize:Routes:auto:Tiers:small:Upstream", "ghost"),
            ("RightSize:Routes:inverted:MinTier", "frontier"),
            ("RightSize:Routes:inverted:MaxTier", "small"),
            ("RightSize:Routes:twin:ClaimModels:0", "gpt-4o"),
            ("RightSize:Routes:twin:ClaimModels:1", "auto"),
            ("RightSize:Routes:twin:PathPrefix", "/routes/support"),
            ("RightSize:Upstreams:nobase:ApiKeyEnv", SampleConfiguration.OpenAIKeyVariable),
            ("RightSize:Upstreams:relative:BaseUrl", "api.example.com/v1"),
            ("RightSize:Upstreams:openai:ApiKeyEnv", "UNSET_KEY_VARIABLE"));
        var options = SampleConfiguration.Options(values);

        var result = SampleConfiguration.Validator().Validate(null, options);

        Assert.True(result.Failed);
        string[] expected =
        [
            "RightSize:Tiers:mid:Upstream names 'nowhere'",
            "RightSize:Tiers:huge: 'huge' is not a tier",
            "RightSize:Routes:auto:Threshold must be between 0 and 1",
            "RightSize:Routes:auto:Tiers:small:Upstream names 'ghost'",
            "RightSize:Routes:inverted: MinTier (frontier) is above MaxTier (small)",
            "RightSize:Routes:twin:ClaimModels:0 claims 'gpt-4o', which route 'support' claims too",
            "RightSize:Routes:twin:ClaimModels:1 claims 'auto', which is already a route name",
            "RightSize:Routes:twin:PathPrefix '/routes/support' is also used by route 'support'",
            "RightSize:Upstreams:nobase:BaseUrl is required",
            "RightSize:Upstreams:relative:BaseUrl is not an absolute http or https URL (it has no 'http://' or 'https://'), so it is not shown",
            "RightSize:Upstreams:openai:ApiKeyEnv names the environment variable UNSET_KEY_VARIABLE, which is not set",
        ];
        var failures = result.Failures!.ToList();
        Assert.All(expected, e => Assert.Contains(failures, f => f.StartsWith(e, StringComparison.Ordinal)));
        Assert.Equal(expected.Length, failures.Count);
    }

    [Fact]
    public void Validate_FrontierMissingForARoute_NamesTheRouteAndBothPlacesToAddIt()
    {
        var values = SampleConfiguration.With(
            ("RightSize:Tiers:frontier:Upstream", null),
            ("RightSize:Tiers:frontier:Model", null),
            ("RightSize:Tiers:frontier:InputPerMTok", null),
            ("RightSize:Tiers:frontier:OutputPerMTok", null));

        var result = SampleConfiguration.Validator().Validate(null, SampleConfiguration.Options(values));

        // support has MaxTier mid, so only auto lacks its highest tier.
        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith("RightSize:Routes:auto: its highest tier, frontier, is not configured", failure);
        Assert.Contains("RightSize:Tiers:frontier", failure);
        Assert.Contains("RightSize:Routes:auto:Tiers:frontier", failure);
    }

    [Fact]
    public void Validate_FrontierOnlyAtRouteLevelWithAllFields_Succeeds()
    {
        var values = SampleConfiguration.With(
            ("RightSize:Tiers:frontier:Upstream", null),
            ("RightSize:Tiers:frontier:Model", null),
            ("RightSize:Tiers:frontier:InputPerMTok", null),
            ("RightSize:Tiers:frontier:OutputPerMTok", null),
            ("RightSize:Routes:auto:Tiers:frontier:Upstream", "openai"),
            ("RightSize:Routes:auto:Tiers:frontier:Model", "gpt-4.1"));

        var result = SampleConfiguration.Validator().Validate(null, SampleConfiguration.Options(values));

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_RouteLevelTierWithoutGlobalTierAndMissingFields_RequiresUpstreamAndModel()
    {
        var values = SampleConfiguration.With(
            ("RightSize:Tiers:small:Upstream", null),
            ("RightSize:Tiers:small:Model", null),
            ("RightSize:Tiers:small:InputPerMTok", null),
            ("RightSize:Tiers:small:OutputPerMTok", null),
            ("RightSize:Routes:auto:Tiers:small:InputPerMTok", "0.01"));

        var result = SampleConfiguration.Validator().Validate(null, SampleConfiguration.Options(values));

        var failures = result.Failures!.ToList();
        Assert.Equal(2, failures.Count);
        Assert.Contains(failures, f => f.StartsWith("RightSize:Routes:auto:Tiers:small:Upstream is required", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("RightSize:Routes:auto:Tiers:small:Model is required", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_NoRoutes_ReportsMissingRoutesBesideOtherErrors()
    {
        var values = SampleConfiguration.Values();
        foreach (var key in values.Keys.Where(k => k.StartsWith("RightSize:Routes:", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            values.Remove(key);
        }

        values["RightSize:Tiers:small:Upstream"] = "nowhere";

        var result = SampleConfiguration.Validator().Validate(null, SampleConfiguration.Options(values));

        var failures = result.Failures!.ToList();
        Assert.Equal(2, failures.Count);
        Assert.Contains(failures, f => f.StartsWith("RightSize:Routes: no route is configured", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("RightSize:Tiers:small:Upstream names 'nowhere'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("RightSize:Tiers:mid:Model", "", "RightSize:Tiers:mid:Model is required")]
    [InlineData("RightSize:Tiers:mid:InputPerMTok", "-1", "RightSize:Tiers:mid:InputPerMTok must not be negative")]
    [InlineData("RightSize:Tiers:mid:OutputPerMTok", "-1", "RightSize:Tiers:mid:OutputPerMTok must not be negative")]
    [InlineData("RightSize:Tiers:mid:CachedInputPerMTok", "-1", "RightSize:Tiers:mid:CachedInputPerMTok must not be negative")]
    [InlineData("RightSize:Tiers:mid:OutputPerMTok", "79228162514264337593543950335", "RightSize:Tiers:mid:OutputPerMTok must be at most 1,000,000")]
    [InlineData("RightSize:Tiers:mid:InputPerMTok", "1000000.01", "RightSize:Tiers:mid:InputPerMTok must be at most 1,000,000")]
    [InlineData("RightSize:Routes:auto:Tier", "large", "RightSize:Routes:auto:Tier is 'large', which is not a tier")]
    [InlineData("RightSize:Routes:auto:DefaultTier", "tiny", "RightSize:Routes:auto:DefaultTier is 'tiny', which is not a tier")]
    [InlineData("RightSize:Routes:auto:Rules:ToolsMinTier", "big", "RightSize:Routes:auto:Rules:ToolsMinTier is 'big', which is not a tier")]
    [InlineData("RightSize:Routes:auto:Rules:MediaMinTier", "vision", "RightSize:Routes:auto:Rules:MediaMinTier is 'vision', which is not a tier")]
    [InlineData("RightSize:Routes:auto:Rules:LongPromptTokens", "0", "RightSize:Routes:auto:Rules:LongPromptTokens must be positive")]
    [InlineData("RightSize:Routes:auto:MinConfidence", "-0.1", "RightSize:Routes:auto:MinConfidence must be between 0 and 1")]
    [InlineData("RightSize:Routes:support:Tier", "frontier", "RightSize:Routes:support:Tier (frontier) is outside MinTier..MaxTier")]
    [InlineData("RightSize:Routes:auto:PathPrefix", "/v1/auto", "RightSize:Routes:auto:PathPrefix '/v1/auto' must start with '/'")]
    [InlineData("RightSize:Routes:auto:PathPrefix", "/V1", "RightSize:Routes:auto:PathPrefix '/V1' must start with '/'")]
    [InlineData("RightSize:Routes:auto:PathPrefix", "/rightsize/auto", "RightSize:Routes:auto:PathPrefix '/rightsize/auto' must start with '/'")]
    [InlineData("RightSize:Routes:auto:PathPrefix", "auto/", "RightSize:Routes:auto:PathPrefix 'auto/' must start with '/'")]
    [InlineData("RightSize:Routes:auto:PathPrefix", "/./auto", "RightSize:Routes:auto:PathPrefix '/./auto' must start with '/'")]
    [InlineData("RightSize:Routes:auto:PathPrefix", "/a//b", "RightSize:Routes:auto:PathPrefix '/a//b' must start with '/'")]
    [InlineData("RightSize:Routes:auto:PathPrefix", "/routes/support/v1", "RightSize:Routes:auto:PathPrefix '/routes/support/v1' and route 'support''s path prefix '/routes/support' lie one inside the other")]
    [InlineData("RightSize:Routes:auto:ClaimModels:0", " ", "RightSize:Routes:auto:ClaimModels:0 is empty")]
    [InlineData("RightSize:Routes:auto:Embeddings:Upstream", "ghost", "RightSize:Routes:auto:Embeddings:Upstream names 'ghost'")]
    [InlineData("RightSize:Routes:a/b:Tier", "mid", "RightSize:Routes:a/b: a route name is a model name")]
    [InlineData("RightSize:Routes:caf\u00e9:Tier", "mid", "RightSize:Routes:caf\u00e9: a route name is a model name")]
    [InlineData("RightSize:Routes:(Passthrough):Tier", "mid", "RightSize:Routes:(Passthrough): the name (passthrough) is the stats' row for pass-through requests")]
    [InlineData("RightSize:Routes:..:Tier", "mid", "RightSize:Routes:..: a route name is a model name: 1 to 256 visible ASCII characters, without '/' or spaces, and not '.' or '..'.")]
    [InlineData("RightSize:Tiers:mid:Model", "gpt 4o", "RightSize:Tiers:mid:Model is not a model name")]
    [InlineData("RightSize:Routes:auto:ClaimModels:0", "gpt\u00b74", "RightSize:Routes:auto:ClaimModels:0 is not a model name")]
    [InlineData("RightSize:Routes:auto:Embeddings:Model", "text\tembedding", "RightSize:Routes:auto:Embeddings:Model is not a model name")]
    [InlineData("RightSize:Upstreams:local:BaseUrl", "ftp://files.example.com/v1", "RightSize:Upstreams:local:BaseUrl 'ftp://files.example.com/v1' is not an absolute http or https URL")]
    [InlineData("RightSize:Upstreams:local:BaseUrl", "https://example.openai.azure.com/openai?api-version=2024-02-01", "RightSize:Upstreams:local:BaseUrl must not have a query or a fragment")]
    [InlineData("RightSize:Upstreams:local:BaseUrl", "http://127.0.0.1:8000/v1#chat", "RightSize:Upstreams:local:BaseUrl must not have a query or a fragment")]
    [InlineData("RightSize:Upstreams:local:BaseUrl", "http://127.0.0.1:0/v1", "RightSize:Upstreams:local:BaseUrl 'http://127.0.0.1:0/v1' names port 0")]
    [InlineData("RightSize:Upstreams:local:ApiKeyFile", "/nonexistent/rightsize/key", "RightSize:Upstreams:local:ApiKeyFile names '/nonexistent/rightsize/key', which does not exist")]
    [InlineData("RightSize:Passthrough:Upstream", "ghost", "RightSize:Passthrough:Upstream names 'ghost'")]
    [InlineData("RightSize:Gateway:MaxRequestBodyBytes", "0", "RightSize:Gateway:MaxRequestBodyBytes must be positive")]
    [InlineData("RightSize:Gateway:MaxHeldResponseBytes", "-1", "RightSize:Gateway:MaxHeldResponseBytes must not be negative")]
    [InlineData("RightSize:Gateway:ConnectTimeout", "00:00:00", "RightSize:Gateway:ConnectTimeout must be between 00:00:00.010 and 1.00:00:00")]
    [InlineData("RightSize:Gateway:ConnectTimeout", "2.00:00:00", "RightSize:Gateway:ConnectTimeout must be between 00:00:00.010 and 1.00:00:00")]
    [InlineData("RightSize:Gateway:RequestBodyTimeout", "00:00:00", "RightSize:Gateway:RequestBodyTimeout must be between 00:00:00.010 and 1.00:00:00")]
    [InlineData("RightSize:Gateway:UpstreamActivityTimeout", "30.00:00:00", "RightSize:Gateway:UpstreamActivityTimeout must be between 00:00:00.010 and 1.00:00:00")]
    [InlineData("RightSize:Gateway:ConnectTimeout", "00:00:00.0000001", "RightSize:Gateway:ConnectTimeout must be between 00:00:00.010 and 1.00:00:00")]
    [InlineData("RightSize:Gateway:UpstreamActivityTimeout", "00:00:00.009", "RightSize:Gateway:UpstreamActivityTimeout must be between 00:00:00.010 and 1.00:00:00")]
    [InlineData("RightSize:Routes:auto:Deadline", "00:00:00.0000001", "RightSize:Routes:auto:Deadline must be between 00:00:00.010 and 1.00:00:00")]
    [InlineData("RightSize:Upstreams:local:HeadersTimeout", "00:00:00.005", "RightSize:Upstreams:local:HeadersTimeout must be between 00:00:00.010 and 1.00:00:00")]
    [InlineData("RightSize:Upstreams:local:HeadersTimeout", "2.00:00:00", "RightSize:Upstreams:local:HeadersTimeout must be between 00:00:00.010 and 1.00:00:00")]
    [InlineData("RightSize:Upstreams:local:CircuitBreaker:FailureRatio", "0", "RightSize:Upstreams:local:CircuitBreaker:FailureRatio must be above 0 and at most 1")]
    [InlineData("RightSize:Upstreams:local:CircuitBreaker:FailureRatio", "1.5", "RightSize:Upstreams:local:CircuitBreaker:FailureRatio must be above 0 and at most 1")]
    [InlineData("RightSize:Upstreams:local:CircuitBreaker:MinimumThroughput", "1", "RightSize:Upstreams:local:CircuitBreaker:MinimumThroughput must be at least 2 (default 5)")]
    [InlineData("RightSize:Upstreams:local:CircuitBreaker:BreakDuration", "2.00:00:00", "RightSize:Upstreams:local:CircuitBreaker: SamplingDuration and BreakDuration must be between 00:00:00.5 and 1.00:00:00")]
    [InlineData("RightSize:Upstreams:local:CircuitBreaker:SamplingDuration", "00:00:00.1", "RightSize:Upstreams:local:CircuitBreaker: SamplingDuration and BreakDuration must be between 00:00:00.5 and 1.00:00:00")]
    [InlineData("RightSize:Routes:auto:Deadline", "60.00:00:00", "RightSize:Routes:auto:Deadline must be between 00:00:00.010 and 1.00:00:00")]
    [InlineData("RightSize:Passthrough:Deadline", "-00:00:01", "RightSize:Passthrough:Deadline must be between 00:00:00.010 and 1.00:00:00")]
    [InlineData("RightSize:Routes:auto:RetryAfterLimit", "2.00:00:00", "RightSize:Routes:auto:RetryAfterLimit must be between 00:00:00 (retry off) and 1.00:00:00")]
    public void Validate_OneBrokenKey_ReportsExactlyThatKey(string key, string value, string expected)
    {
        var options = SampleConfiguration.Options(SampleConfiguration.With((key, value)));

        var result = SampleConfiguration.Validator().Validate(null, options);

        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith(expected, failure);
    }

    [Theory]
    [InlineData("RightSize:Upstreams:local:BaseUrl", "https://generativelanguage.example.com/v1?key=AIzaSECRET123", "RightSize:Upstreams:local:BaseUrl must not have a query or a fragment ('https://generativelanguage.example.com/v1 (query not shown)')")]
    [InlineData("RightSize:Upstreams:local:BaseUrl", "https://func.example.net/api/v1?code=AIzaSECRET123", "RightSize:Upstreams:local:BaseUrl must not have a query or a fragment ('https://func.example.net/api/v1 (query not shown)')")]
    [InlineData("RightSize:Upstreams:local:BaseUrl", "files.example.com/v1?api-key=AIzaSECRET123", "RightSize:Upstreams:local:BaseUrl is not an absolute http or https URL (it has no 'http://' or 'https://'), so it is not shown")]
    [InlineData("RightSize:Upstreams:local:BaseUrl", "sk-proj-AIzaSECRET123", "RightSize:Upstreams:local:BaseUrl is not an absolute http or https URL (it has no 'http://' or 'https://'), so it is not shown")]
    [InlineData("RightSize:Upstreams:local:BaseUrl", "https://func.example.net/api/v1#AIzaSECRET123", "RightSize:Upstreams:local:BaseUrl must not have a query or a fragment ('https://func.example.net/api/v1 (fragment not shown)')")]
    [InlineData("RightSize:Upstreams:local:ApiKeyFile", "sk-proj-AIzaSECRET123", "RightSize:Upstreams:local:ApiKeyFile names a file that does not exist; it is not shown")]
    [InlineData("RightSize:Upstreams:local:ApiKeyFile", "AIzaSECRET123/b64+part=", "RightSize:Upstreams:local:ApiKeyFile names a file that does not exist; it is not shown")]
    public void Validate_KeyWrittenWhereAUrlOrPathGoes_NotRepeated(string key, string value, string expected)
    {
        var options = SampleConfiguration.Options(SampleConfiguration.With((key, value)));

        var failure = Assert.Single(SampleConfiguration.Validator().Validate(null, options).Failures!);

        Assert.StartsWith(expected, failure);
        Assert.DoesNotContain("AIzaSECRET123", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnsetKeyVariable_NeverEchoesAnotherUpstreamsKey()
    {
        var options = SampleConfiguration.Options(SampleConfiguration.With(("RightSize:Upstreams:local:ApiKeyEnv", "LOCAL_KEY")));

        var result = SampleConfiguration.Validator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.DoesNotContain(SampleConfiguration.OpenAIKey, result.FailureMessage);
    }

    [Fact]
    public void Validate_KeyItselfInApiKeyEnv_ReportedWithoutEchoingIt()
    {
        // An operator who puts the key itself where the variable's name belongs must not find it in
        // the start-up error or the reload log.
        const string key = "sk-proj-Zx81QvT0nLw2";
        var options = SampleConfiguration.Options(SampleConfiguration.With(("RightSize:Upstreams:local:ApiKeyEnv", key)));

        var result = SampleConfiguration.Validator().Validate(null, options);

        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith("RightSize:Upstreams:local:ApiKeyEnv", failure);
        Assert.DoesNotContain(key, failure);
    }

    [Fact]
    public void Validate_CredentialsInBaseUrl_ReportedWithoutEchoingThem()
    {
        var options = SampleConfiguration.Options(SampleConfiguration.With(("RightSize:Upstreams:local:BaseUrl", "https://proxy-user:s3cret-pass@llm.example.com/v1")));

        var result = SampleConfiguration.Validator().Validate(null, options);

        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith("RightSize:Upstreams:local:BaseUrl must not carry credentials", failure);
        Assert.DoesNotContain("s3cret-pass", failure);
    }

    [Fact]
    public void Validate_UnsetKeyVariable_NamesTheVariable()
    {
        var options = SampleConfiguration.Options(SampleConfiguration.With(("RightSize:Upstreams:local:ApiKeyEnv", "LOCAL_KEY")));

        var failure = Assert.Single(SampleConfiguration.Validator().Validate(null, options).Failures!);

        Assert.StartsWith("RightSize:Upstreams:local:ApiKeyEnv names the environment variable LOCAL_KEY, which is not set or holds only white space.", failure);
    }

    [Theory]
    [InlineData("hf_PastedKey1234567890abcdefGHIJKLmnop")]
    [InlineData("gsk_Abcdefghijklmnopqrstuvwxyz0123")]
    [InlineData("c0ffee1234abcdef5678c0ffee1234ab")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWX")]
    [InlineData("OPENAI_KEY_20260123456")]
    public void Validate_UnsetKeyVariableThatMayBeAKey_IsNotShown(string pasted)
    {
        // Each is a variable name by its characters, and each could be a key pasted in the wrong field.
        var options = SampleConfiguration.Options(SampleConfiguration.With(("RightSize:Upstreams:local:ApiKeyEnv", pasted)));

        var failure = Assert.Single(SampleConfiguration.Validator().Validate(null, options).Failures!);

        Assert.StartsWith("RightSize:Upstreams:local:ApiKeyEnv names an environment variable that is not set", failure, StringComparison.Ordinal);
        Assert.Contains($"({pasted.Length} characters, starting '{pasted[..3]}')", failure, StringComparison.Ordinal);
        Assert.DoesNotContain(pasted, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BodyBudgetBelowTheBodyLimit_NamesBoth()
    {
        var options = SampleConfiguration.Options(SampleConfiguration.With(
            ("RightSize:Gateway:MaxRequestBodyBytes", "1048576"),
            ("RightSize:Gateway:MaxBufferedRequestBytes", "1000000")));

        var failure = Assert.Single(SampleConfiguration.Validator().Validate(null, options).Failures!);

        Assert.StartsWith("RightSize:Gateway:MaxBufferedRequestBytes (1000000) must be at least MaxRequestBodyBytes (1048576)", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PathPrefixEqualToAnotherRoutesDefaultPrefix_ReportsTheConflict()
    {
        // support keeps only its default prefix /routes/support; auto takes the same path, and which
        // route serves /routes/support/v1/... then depends on an unstable sort.
        var values = SampleConfiguration.With(
            ("RightSize:Routes:support:PathPrefix", null),
            ("RightSize:Routes:auto:PathPrefix", "/routes/support"));

        var result = SampleConfiguration.Validator().Validate(null, SampleConfiguration.Options(values));

        Assert.True(result.Failed, "two routes share the path prefix /routes/support");
        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith("RightSize:Routes:auto:PathPrefix", failure);
    }

    [Theory]
    [InlineData("/v1beta")]
    [InlineData("/v10/team")]
    [InlineData("/rightsizer")]
    public void Validate_PathPrefixBesideAReservedRoot_Passes(string prefix)
    {
        // /v1 and /rightsize are reserved as whole segments, not as the start of any name.
        var values = SampleConfiguration.With(("RightSize:Routes:auto:PathPrefix", prefix));

        var result = SampleConfiguration.Validator().Validate(null, SampleConfiguration.Options(values));

        Assert.False(result.Failed, string.Join("; ", result.Failures ?? []));
    }
}
