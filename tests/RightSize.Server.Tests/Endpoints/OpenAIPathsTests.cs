using RightSize.Server.Endpoints;

namespace RightSize.Server.Tests.Endpoints;

public class OpenAIPathsTests
{
    [Theory]
    [InlineData("/v1/chat/completions", nameof(OpenAIOperation.ChatCompletions))]
    [InlineData("/V1/Chat/Completions", nameof(OpenAIOperation.ChatCompletions))]
    [InlineData("/v1/completions", nameof(OpenAIOperation.Completions))]
    [InlineData("/v1/embeddings", nameof(OpenAIOperation.Embeddings))]
    [InlineData("/v1/models", nameof(OpenAIOperation.Models))]
    [InlineData("/v1/chat/completions/", nameof(OpenAIOperation.ChatCompletions))] // one trailing slash, as the root paths accept it
    public void TryParse_ApiPath_RecognisesTheOperation(string path, string expected)
    {
        Assert.True(OpenAIPaths.TryParse(path, out var operation));
        Assert.Equal(expected, operation.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("/v1/chat/completions//")]
    [InlineData("/chat/completions")]
    [InlineData("/v1/responses")]
    [InlineData("/v2/models")]
    public void TryParse_OtherPath_IsNotAnOperation(string path)
    {
        Assert.False(OpenAIPaths.TryParse(path, out _));
    }

    [Theory]
    [InlineData(nameof(OpenAIOperation.ChatCompletions), "/chat/completions")]
    [InlineData(nameof(OpenAIOperation.Completions), "/completions")]
    [InlineData(nameof(OpenAIOperation.Embeddings), "/embeddings")]
    [InlineData(nameof(OpenAIOperation.Models), "/models")]
    public void UpstreamPath_Operation_IsThePathUnderTheBaseUrl(string operation, string expected)
    {
        Assert.Equal(expected, OpenAIPaths.UpstreamPath(Enum.Parse<OpenAIOperation>(operation)));
    }
}
