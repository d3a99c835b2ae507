using RightSize.Server.Endpoints;

namespace RightSize.Server.Tests.Endpoints;

public class OpenAIPathsTests
{
    [Theory]
    [InlineData("/v1/chat/completions", OpenAIOperation.ChatCompletions)]
    [InlineData("/V1/Chat/Completions", OpenAIOperation.ChatCompletions)]
    [InlineData("/v1/completions", OpenAIOperation.Completions)]
    [InlineData("/v1/embeddings", OpenAIOperation.Embeddings)]
    [InlineData("/v1/models", OpenAIOperation.Models)]
    [InlineData("/v1/chat/completions/", OpenAIOperation.ChatCompletions)] // one trailing slash, as the root paths accept it
    public void TryParse_ApiPath_RecognisesTheOperation(string path, OpenAIOperation expected)
    {
        Assert.True(OpenAIPaths.TryParse(path, out var operation));
        Assert.Equal(expected, operation);
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
    [InlineData(OpenAIOperation.ChatCompletions, "/chat/completions")]
    [InlineData(OpenAIOperation.Completions, "/completions")]
    [InlineData(OpenAIOperation.Embeddings, "/embeddings")]
    [InlineData(OpenAIOperation.Models, "/models")]
    public void UpstreamPath_Operation_IsThePathUnderTheBaseUrl(OpenAIOperation operation, string expected)
    {
        Assert.Equal(expected, OpenAIPaths.UpstreamPath(operation));
    }
}
