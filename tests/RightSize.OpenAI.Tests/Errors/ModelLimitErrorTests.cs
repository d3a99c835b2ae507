using System.Text;
using RightSize.OpenAI.Errors;

namespace RightSize.OpenAI.Tests.Errors;

/// <summary>The 400s that say a limit of the model rather than a fault of the request, as the servers people run send them.</summary>
public sealed class ModelLimitErrorTests
{
    [Theory]
    [InlineData("""{"error":{"message":"This model's maximum context length is 128000 tokens. However, your messages resulted in 130512 tokens. Please reduce the length of the messages.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}""")]
    [InlineData("""{"error":{"message":"Please reduce the length of the messages or completion.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}""")]
    [InlineData("""{"object":"error","message":"This model's maximum context length is 4096 tokens. However, you requested 6616 tokens (568 in the messages, 6048 in the completion). Please reduce the length of the messages or completion.","type":"BadRequestError","param":null,"code":400}""")]
    [InlineData("""{"error":{"message":"This model's maximum context length is 4096 tokens. However, you requested 6616 tokens.","type":"BadRequestError","param":null,"code":400}}""")]
    [InlineData("""{"error":{"code":400,"message":"request (4476 tokens) exceeds the available context size (4096 tokens)","type":"exceed_context_size_error","n_prompt_tokens":4476,"n_ctx":4096}}""")]
    [InlineData("""{"error":{"message":"Context length exceeded: 40000 > 32768","type":"invalid_request_error"}}""")]
    public void Classify_ContextWindowErrors(string body) => Assert.Equal(ModelLimit.ContextLength, ModelLimitError.Classify(Encoding.UTF8.GetBytes(body)));

    [Theory]
    [InlineData("""{"error":{"message":"Invalid value for 'temperature': must be at most 2.","type":"invalid_request_error","param":"temperature","code":"invalid_value"}}""")]
    [InlineData("""{"error":{"message":"max_tokens must be at least 1, got -186.","type":"BadRequestError","code":400}}""")]
    [InlineData("""{"error":"context_length_exceeded"}""")]
    [InlineData("""{"error":{"message":"Unsupported parameter","code":["unsupported_parameter"]}}""")]
    [InlineData("""{"error":{"code":["context_length_exceeded"]}}""")]
    [InlineData("""["maximum context length"]""")]
    [InlineData("maximum context length")]
    [InlineData("""{"error":{"message":"maximum context length""")]
    [InlineData("")]
    public void Classify_OtherBadRequests_None(string body) => Assert.Equal(ModelLimit.None, ModelLimitError.Classify(Encoding.UTF8.GetBytes(body)));

    [Theory]
    [InlineData("""{"error":{"message":"Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.","type":"invalid_request_error","param":"max_tokens","code":"unsupported_parameter"}}""")]
    [InlineData("""{"error":{"message":"Unrecognized request argument supplied: reasoning_effort","type":"invalid_request_error","param":"reasoning_effort","code":"unsupported_parameter"}}""")]
    [InlineData("""{"error":{"message":"Unsupported value: 'temperature' does not support 0.2 with this model. Only the default (1) value is supported.","type":"invalid_request_error","param":"temperature","code":"unsupported_value"}}""")]
    public void Classify_ParametersTheModelDoesNotTake_UnsupportedParameter(string body) =>
        Assert.Equal(ModelLimit.UnsupportedParameter, ModelLimitError.Classify(Encoding.UTF8.GetBytes(body)));

    [Fact]
    public void Classify_AMessageThatIsNotUtf8_None()
    {
        byte[] body = [.. "{\"error\":{\"message\":\""u8, 0xFF, 0xFE, .. "\"}}"u8];

        Assert.Equal(ModelLimit.None, ModelLimitError.Classify(body));
    }
}
