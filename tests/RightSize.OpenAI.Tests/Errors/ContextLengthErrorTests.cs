using System.Text;
using RightSize.OpenAI.Errors;

namespace RightSize.OpenAI.Tests.Errors;

/// <summary>The 400s that say a request does not fit the model's context window, as the servers people run send them.</summary>
public sealed class ContextLengthErrorTests
{
    [Theory]
    [InlineData("""{"error":{"message":"This model's maximum context length is 128000 tokens. However, your messages resulted in 130512 tokens. Please reduce the length of the messages.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}""")]
    [InlineData("""{"error":{"message":"Please reduce the length of the messages or completion.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}""")]
    [InlineData("""{"object":"error","message":"This model's maximum context length is 4096 tokens. However, you requested 6616 tokens (568 in the messages, 6048 in the completion). Please reduce the length of the messages or completion.","type":"BadRequestError","param":null,"code":400}""")]
    [InlineData("""{"error":{"message":"This model's maximum context length is 4096 tokens. However, you requested 6616 tokens.","type":"BadRequestError","param":null,"code":400}}""")]
    [InlineData("""{"error":{"code":400,"message":"request (4476 tokens) exceeds the available context size (4096 tokens)","type":"exceed_context_size_error","n_prompt_tokens":4476,"n_ctx":4096}}""")]
    [InlineData("""{"error":{"message":"Context length exceeded: 40000 > 32768","type":"invalid_request_error"}}""")]
    public void Matches_ContextWindowErrors(string body) => Assert.True(ContextLengthError.Matches(Encoding.UTF8.GetBytes(body)));

    [Theory]
    [InlineData("""{"error":{"message":"Invalid value for 'temperature': must be at most 2.","type":"invalid_request_error","param":"temperature","code":"invalid_value"}}""")]
    [InlineData("""{"error":{"message":"max_tokens must be at least 1, got -186.","type":"BadRequestError","code":400}}""")]
    [InlineData("""{"error":{"message":"Unsupported parameter: 'max_tokens'","type":"invalid_request_error","code":"unsupported_parameter"}}""")]
    [InlineData("""{"error":"context_length_exceeded"}""")]
    [InlineData("""{"error":{"code":["context_length_exceeded"]}}""")]
    [InlineData("""["maximum context length"]""")]
    [InlineData("maximum context length")]
    [InlineData("""{"error":{"message":"maximum context length""")]
    [InlineData("")]
    public void DoesNotMatch_OtherBadRequests(string body) => Assert.False(ContextLengthError.Matches(Encoding.UTF8.GetBytes(body)));

    [Fact]
    public void DoesNotMatch_AMessageThatIsNotUtf8()
    {
        byte[] body = [.. "{\"error\":{\"message\":\""u8, 0xFF, 0xFE, .. "\"}}"u8];

        Assert.False(ContextLengthError.Matches(body));
    }
}
