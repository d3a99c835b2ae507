using System.ClientModel;
using System.ClientModel.Primitives;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;
using OpenAI.Models;
using RightSize.Upstream.Simulator.Tests.TestSupport;

namespace RightSize.Upstream.Simulator.Tests.Protocol;

/// <summary>The official OpenAI .NET SDK reads the simulator's answers as it reads OpenAI's.</summary>
public class OpenAISdkCompatibilityTests
{
    private static OpenAIClient Client(UpstreamSimulator simulator)
        => new(new ApiKeyCredential("sk-upstream"), new OpenAIClientOptions { Endpoint = simulator.ApiBase });

    private static async Task<UpstreamSimulator> StartAsync()
    {
        var options = Sim.Options("small", "embed");
        options.RequiredApiKey = "sk-upstream";
        return await UpstreamSimulator.StartAsync(options, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task CompleteChat_OfficialSdk_ReadsContentAndUsage()
    {
        await using var simulator = await StartAsync();
        var chat = Client(simulator).GetChatClient("small");

        ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage("Hello SDK")], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("[small] Hello SDK", completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal("small", completion.Model);
        Assert.Equal(3, completion.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task CompleteChatStreaming_OfficialSdk_ReassemblesContentAndReadsUsage()
    {
        await using var simulator = await StartAsync();
        var chat = Client(simulator).GetChatClient("small");
        var text = new System.Text.StringBuilder();
        ChatTokenUsage? usage = null;

        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("Stream to the SDK")], cancellationToken: TestContext.Current.CancellationToken))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            usage ??= update.Usage;
        }

        Assert.Equal("[small] Stream to the SDK", text.ToString());
        Assert.NotNull(usage);
        Assert.Equal(5, usage.OutputTokenCount);
        Assert.Contains("\"include_usage\":true", Assert.Single(simulator.Journal.Snapshot()).BodyText);
    }

    [Fact]
    public async Task GenerateEmbedding_OfficialSdk_ReadsEightDimensions()
    {
        await using var simulator = await StartAsync();
        var embeddings = Client(simulator).GetEmbeddingClient("embed");

        OpenAIEmbedding embedding = await embeddings.GenerateEmbeddingAsync("vector me", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(8, embedding.ToFloats().Length);
    }

    [Fact]
    public async Task GetModel_OfficialSdkWithSlashInId_ReadsTheModel()
    {
        await using var simulator = await UpstreamSimulator.StartAsync(Sim.Options("org/small"), TestContext.Current.CancellationToken);
        var models = new OpenAIClient(new ApiKeyCredential("sk"), new OpenAIClientOptions { Endpoint = simulator.ApiBase }).GetOpenAIModelClient();

        OpenAIModel model = await models.GetModelAsync("org/small", TestContext.Current.CancellationToken);

        Assert.Equal("org/small", model.Id);
        Assert.Equal("/v1/models/org%2Fsmall", Assert.Single(simulator.Journal.Snapshot()).Path);
    }

    [Fact]
    public async Task CompleteChat_FaultStatus503_SdkThrowsClientResultExceptionWithStatus()
    {
        await using var simulator = await StartAsync();
        simulator.Faults.Set("small", RightSize.Upstream.Simulator.Faults.FaultScript.Parse("status=503"));
        var options = new OpenAIClientOptions { Endpoint = simulator.ApiBase, RetryPolicy = new ClientRetryPolicy(maxRetries: 0) };
        var chat = new OpenAIClient(new ApiKeyCredential("sk-upstream"), options).GetChatClient("small");

        var ex = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("hi")], cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(503, ex.Status);
        Assert.Contains("overloaded", ex.Message);
        Assert.Equal(1, simulator.Journal.TotalReceived);
    }
}
