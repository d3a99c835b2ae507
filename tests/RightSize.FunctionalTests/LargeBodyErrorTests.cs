using System.ClientModel;
using OpenAI.Chat;
using OpenAI.Files;
using RightSize.FunctionalTests.Infrastructure;

namespace RightSize.FunctionalTests;

/// <summary>
/// An error the gateway answers before reading the body reaches the SDK even when the body is
/// larger than Kestrel's own limit (30,000,000 bytes): the SDK sends its whole body before it
/// reads the answer, so it must see the OpenAI-shaped error, not a broken connection (which it
/// would retry, sending the body again).
/// </summary>
public sealed class LargeBodyErrorTests : IAsyncLifetime
{
    private const int OverServerLimit = 32 * 1024 * 1024;
    private GatewayHarness _harness = null!;

    public async ValueTask InitializeAsync() => _harness = await GatewayHarness.StartAsync();

    public async ValueTask DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task UploadFile_LargerThanServerLimit_SdkReads404UnknownUrl()
    {
        var files = _harness.OpenAIClient().GetOpenAIFileClient();

        var error = await Assert.ThrowsAsync<ClientResultException>(() => files.UploadFileAsync(BinaryData.FromBytes(new byte[OverServerLimit]), "train.jsonl", FileUploadPurpose.FineTune));

        Assert.Equal(404, error.Status);
        Assert.Contains("unknown_url", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompleteChat_LargerThanServerLimit_SdkReads413RequestTooLarge()
    {
        var chat = _harness.OpenAIClient().GetChatClient("auto");
        var image = ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(new byte[OverServerLimit]), "image/png");

        var error = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage(ChatMessageContentPart.CreateTextPart("What is this?"), image)]));

        Assert.Equal(413, error.Status);
        Assert.Contains("request_too_large", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, _harness.Upstreams.TotalReceived);
    }
}
