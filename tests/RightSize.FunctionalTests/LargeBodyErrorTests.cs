using System.ClientModel;
using System.Net.Sockets;
using System.Text;
using OpenAI.Chat;
using OpenAI.Files;
using RightSize.FunctionalTests.Infrastructure;

namespace RightSize.FunctionalTests;

/// <summary>
/// An error the gateway answers before reading the body reaches the SDK even when the body is
/// larger than Kestrel's own limit (30,000,000 bytes): the SDK sends its whole body before it
/// reads the answer, so it must see the OpenAI-shaped error, not a broken connection (which it
/// would retry, sending the body again). The gateway discards no more than the declared length:
/// a chunked body of no end is still cut off.
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
        Assert.Contains("RightSize:Gateway:MaxRequestBodyBytes", error.Message, StringComparison.Ordinal); // what the operator changes
        Assert.Equal(0, _harness.Upstreams.TotalReceived);
    }

    [Fact]
    public async Task UnknownUrl_ChunkedBodyOfNoEnd_ServerStopsReadingIt()
    {
        const int chunk = 1024 * 1024;
        const long giveUpAfter = 128L * chunk;
        using var client = new TcpClient();
        await client.ConnectAsync(_harness.BaseAddress.Host, _harness.BaseAddress.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("POST /v1/files HTTP/1.1\r\nHost: gateway\r\nTransfer-Encoding: chunked\r\n\r\n"));
        var frame = Encoding.ASCII.GetBytes($"{chunk:x}\r\n").Concat(new byte[chunk]).Concat("\r\n"u8.ToArray()).ToArray();

        long sent = 0;
        var stopped = false;
        try
        {
            while (sent < giveUpAfter)
            {
                await stream.WriteAsync(frame);
                sent += chunk;
            }
        }
        catch (IOException)
        {
            stopped = true;
        }

        Assert.True(stopped, $"the gateway read {sent} bytes of a body it had answered with a 404 and was still reading");
    }
}
