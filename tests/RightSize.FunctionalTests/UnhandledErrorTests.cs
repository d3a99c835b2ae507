using System.ClientModel;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OpenAI.Chat;
using RightSize.Classification;
using RightSize.FunctionalTests.Infrastructure;
using RightSize.OpenAI.Chat;

namespace RightSize.FunctionalTests;

/// <summary>
/// A fault inside the gateway (here a classifier that throws) reaches the client as OpenAI's 500
/// <c>internal_error</c>, which the SDK reads, without the exception's text; nothing is forwarded.
/// </summary>
public sealed class UnhandledErrorTests : IAsyncLifetime
{
    private const string Secret = "exception text that must not reach the client";

    private GatewayHarness _harness = null!;

    public async ValueTask InitializeAsync() => _harness = await GatewayHarness.StartAsync(
        configure: null,
        upstreams: null,
        services: s => s.AddSingleton<IDifficultyClassifier>(new ThrowingClassifier()));

    public async ValueTask DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Post_ClassifierThrows_OpenAIShaped500WithoutTheExceptionText()
    {
        using var response = await _harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("auto", "hi")), TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = (await Json.ReadAsync(response)).GetProperty("error");
        Assert.Equal("internal_error", error.GetProperty("code").GetString());
        Assert.Equal("server_error", error.GetProperty("type").GetString());
        Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        Assert.Equal(0, _harness.Upstreams.Small.Journal.TotalReceived + _harness.Upstreams.Mid.Journal.TotalReceived + _harness.Upstreams.Frontier.Journal.TotalReceived);
    }

    [Fact]
    public async Task OpenAISdk_ClassifierThrows_ClientResultExceptionWithStatus500()
    {
        var failure = await Assert.ThrowsAsync<ClientResultException>(() =>
            _harness.ChatClient("auto").CompleteChatAsync([new UserChatMessage("hi")], cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(500, failure.Status);
        Assert.Contains("The gateway failed to process the request.", failure.Message, StringComparison.Ordinal);
    }

    private sealed class ThrowingClassifier : IDifficultyClassifier
    {
        public ClassifierModelInfo? Model { get; } = new("throwing", "throwing/model.onnx", "test-schema");

        public TierProbabilities Predict(ChatPrompt prompt) => throw new InvalidOperationException(Secret);
    }
}
