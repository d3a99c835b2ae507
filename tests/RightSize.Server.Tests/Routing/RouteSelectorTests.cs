using RightSize.OpenAI.Errors;
using RightSize.Server.Routing;
using RightSize.Server.Tests.TestSupport;

namespace RightSize.Server.Tests.Routing;

public class RouteSelectorTests
{
    [Fact]
    public void Select_PathRoute_WinsOverTheModel()
    {
        var snapshot = SampleConfiguration.Snapshot();
        var support = snapshot.RoutesByName["support"];

        var selection = RouteSelector.Select(snapshot, support, "auto");

        Assert.Same(support, selection.Route);
        Assert.Null(selection.Error);
    }

    [Fact]
    public void Select_RouteName_SelectsTheRoute()
    {
        var snapshot = SampleConfiguration.Snapshot();

        var selection = RouteSelector.Select(snapshot, null, "auto");

        Assert.Same(snapshot.RoutesByName["auto"], selection.Route);
    }

    [Fact]
    public void Select_ClaimedModel_SelectsTheClaimingRoute()
    {
        var snapshot = SampleConfiguration.Snapshot();

        var selection = RouteSelector.Select(snapshot, null, "gpt-4o");

        Assert.Same(snapshot.RoutesByName["support"], selection.Route);
        Assert.Null(selection.Passthrough);
    }

    [Fact]
    public void Select_UnclaimedTierModel_PassesThroughToItsUpstream()
    {
        var snapshot = SampleConfiguration.Snapshot();

        var selection = RouteSelector.Select(snapshot, null, "llama-3.2-3b");

        Assert.Null(selection.Route);
        Assert.Equal("local", selection.Passthrough?.Name);
    }

    [Fact]
    public void Select_UnknownModelWithoutFallback_Is404ModelNotFound()
    {
        var snapshot = SampleConfiguration.Snapshot();

        var selection = RouteSelector.Select(snapshot, null, "claude-9");

        var error = Assert.IsType<OpenAIError>(selection.Error);
        Assert.Equal((404, "model", OpenAIErrorCodes.ModelNotFound), (error.StatusCode, error.Param, error.Code));
        Assert.Contains("claude-9", error.Message);
        Assert.Null(selection.Route);
        Assert.Null(selection.Passthrough);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Select_NoModelAndNoPathRoute_Is400MissingModel(string? model)
    {
        var snapshot = SampleConfiguration.Snapshot();

        var error = Assert.IsType<OpenAIError>(RouteSelector.Select(snapshot, null, model).Error);

        Assert.Equal((400, "invalid_request_error", "model", "missing_model"), (error.StatusCode, error.Type, error.Param, error.Code));
        Assert.Equal("You must provide a model parameter.", error.Message);
    }

    [Fact]
    public void Select_UnknownEmbeddingsModel_404NamesTheSettingsThatServeIt()
    {
        var snapshot = SampleConfiguration.Snapshot();

        var error = Assert.IsType<OpenAIError>(RouteSelector.Select(snapshot, null, "text-embedding-3-small", embeddings: true).Error);

        Assert.Equal((404, "model", OpenAIErrorCodes.ModelNotFound), (error.StatusCode, error.Param, error.Code));
        Assert.Contains("'text-embedding-3-small'", error.Message, StringComparison.Ordinal);
        Assert.Contains("RightSize:Passthrough:Upstream", error.Message, StringComparison.Ordinal);
        Assert.Contains("RightSize:Routes:{name}:Embeddings:Model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Select_UnknownModelWithFallback_PassesThroughToTheFallback()
    {
        var snapshot = SampleConfiguration.Snapshot(SampleConfiguration.With(("RightSize:Passthrough:Upstream", "openai")));

        var selection = RouteSelector.Select(snapshot, null, "o3-pro");

        Assert.Equal("openai", selection.Passthrough?.Name);
    }

    [Fact]
    public void Select_RouteNameInOtherCase_SelectsTheRoute()
    {
        var snapshot = SampleConfiguration.Snapshot();

        var selection = RouteSelector.Select(snapshot, null, "AUTO");

        Assert.Null(selection.Error);
        Assert.Equal("auto", selection.Route?.Name);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Select_NoModelAndNoPathRoute_Is400NamingModel(string? model)
    {
        var selection = RouteSelector.Select(SampleConfiguration.Snapshot(), null, model);

        var error = Assert.IsType<OpenAIError>(selection.Error);
        Assert.Equal((400, "model"), (error.StatusCode, error.Param));
    }

    [Fact]
    public void MatchPrefix_DefaultPrefix_ReturnsRouteAndRemainder()
    {
        var snapshot = SampleConfiguration.Snapshot();

        var route = RouteSelector.MatchPrefix(snapshot, "/routes/auto/v1/chat/completions", out var remainder);

        Assert.Same(snapshot.RoutesByName["auto"], route);
        Assert.Equal("/v1/chat/completions", remainder);
    }

    [Fact]
    public void MatchPrefix_NestedPrefixes_PicksTheLongest()
    {
        var snapshot = SampleConfiguration.Snapshot(SampleConfiguration.With(
            ("RightSize:Routes:auto:PathPrefix", "/team"),
            ("RightSize:Routes:support:PathPrefix", "/team/support")));

        var route = RouteSelector.MatchPrefix(snapshot, "/team/support/v1/chat/completions", out var remainder);
        var shorter = RouteSelector.MatchPrefix(snapshot, "/team/v1/chat/completions", out var shorterRemainder);

        Assert.Same(snapshot.RoutesByName["support"], route);
        Assert.Equal("/v1/chat/completions", remainder);
        Assert.Same(snapshot.RoutesByName["auto"], shorter);
        Assert.Equal("/v1/chat/completions", shorterRemainder);
    }

    [Theory]
    [InlineData("/routes/autopilot/v1/chat/completions")]
    [InlineData("/routes/auto")]
    [InlineData("/routes/autov1/chat/completions")]
    [InlineData("/v1/chat/completions")]
    public void MatchPrefix_NoSlashBoundaryAfterPrefix_DoesNotMatch(string path)
    {
        var route = RouteSelector.MatchPrefix(SampleConfiguration.Snapshot(), path, out var remainder);

        Assert.Null(route);
        Assert.Equal(path, remainder);
    }

    [Fact]
    public void MatchPrefix_OtherCase_Matches()
    {
        var snapshot = SampleConfiguration.Snapshot();

        var route = RouteSelector.MatchPrefix(snapshot, "/Routes/Support/v1/models", out var remainder);

        Assert.Same(snapshot.RoutesByName["support"], route);
        Assert.Equal("/v1/models", remainder);
    }
}
