using System.Text;
using RightSize.OpenAI.Usage;

namespace RightSize.OpenAI.Tests.Usage;

public class UsageParserTests
{
    // Shapes follow the public API reference of chat completions, streaming chunks and embeddings.
    private const string ChatCompletion = """
        {
          "id": "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG",
          "object": "chat.completion",
          "created": 1741570283,
          "model": "gpt-4o-2024-08-06",
          "choices": [
            {
              "index": 0,
              "message": { "role": "assistant", "content": "The usage is below.", "refusal": null, "annotations": [] },
              "logprobs": null,
              "finish_reason": "stop"
            }
          ],
          "usage": {
            "prompt_tokens": 1117,
            "completion_tokens": 46,
            "total_tokens": 1163,
            "prompt_tokens_details": { "cached_tokens": 1024, "audio_tokens": 0 },
            "completion_tokens_details": { "reasoning_tokens": 12, "audio_tokens": 0, "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0 }
          },
          "service_tier": "default",
          "system_fingerprint": "fp_fc9f1d7035"
        }
        """;

    private const string ContentChunk = """{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","system_fingerprint":"fp_1","choices":[{"index":0,"delta":{"content":"The \"usage\" field"},"logprobs":null,"finish_reason":null}],"usage":null}""";

    private const string UsageChunk = """{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","system_fingerprint":"fp_1","choices":[],"usage":{"prompt_tokens":19,"completion_tokens":10,"total_tokens":29,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}}""";

    private const string Embeddings = """{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.0023064255,-0.009327292,-0.0028842222]}],"model":"text-embedding-3-small","usage":{"prompt_tokens":8,"total_tokens":8}}""";

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void TryParseResponse_ChatCompletion_ReadsAllCounts()
    {
        Assert.True(UsageParser.TryParseResponse(Utf8(ChatCompletion), out var usage));

        Assert.Equal(new TokenUsage(1117, 46, 1024, 12), usage);
    }

    [Fact]
    public void TryParseResponse_BodyStartsWithByteOrderMark_ReadsUsage()
    {
        var body = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Embeddings)).ToArray();

        Assert.True(UsageParser.TryParseResponse(body, out var usage));
        Assert.Equal(8, usage.PromptTokens);
    }

    [Fact]
    public void TryParseResponse_Embeddings_HasPromptTokensOnly()
    {
        Assert.True(UsageParser.TryParseResponse(Utf8(Embeddings), out var usage));

        Assert.Equal(new TokenUsage(8, 0), usage);
    }

    [Fact]
    public void TryParseResponse_ResponsesApiNames_AreRead()
    {
        var body = """{"object":"response","output":[],"usage":{"input_tokens":36,"input_tokens_details":{"cached_tokens":4},"output_tokens":87,"output_tokens_details":{"reasoning_tokens":50},"total_tokens":123}}""";

        Assert.True(UsageParser.TryParseResponse(Utf8(body), out var usage));

        Assert.Equal(new TokenUsage(36, 87, 4, 50), usage);
    }

    [Fact]
    public void TryParseResponse_CompletionCountMissing_IsTotalMinusPrompt()
    {
        Assert.True(UsageParser.TryParseResponse("""{"usage":{"prompt_tokens":10,"total_tokens":25}}"""u8, out var usage));

        Assert.Equal(new TokenUsage(10, 15), usage);
    }

    [Fact]
    public void TryParseResponse_CompletionCountMissing_TotalUnderPrompt_IsNoCompletionTokens()
    {
        // A total under the prompt count is the upstream's error; it bills no negative tokens.
        Assert.True(UsageParser.TryParseResponse("""{"usage":{"prompt_tokens":10,"total_tokens":5}}"""u8, out var usage));

        Assert.Equal(new TokenUsage(10, 0), usage);
    }

    [Theory]
    [InlineData("""{"id":"x","choices":[]}""")]
    [InlineData("""{"id":"x","choices":[],"usage":null}""")]
    [InlineData("""{"usage":{}}""")]
    [InlineData("""{"usage":{"prompt_tokens_details":{"cached_tokens":3}}}""")]
    [InlineData("""{"usage":"many"}""")]
    [InlineData("""{"choices":[{"message":{"usage":{"prompt_tokens":5,"completion_tokens":1}}}]}""")]
    [InlineData("""{"usage":{"prompt_tokens":5,"completion_tokens":1}""")]
    [InlineData("""[{"usage":{"prompt_tokens":5}}]""")]
    [InlineData("")]
    [InlineData("not json \"usage\"")]
    public void TryParseResponse_NoTopLevelUsage_ReturnsFalseAndZero(string body)
    {
        Assert.False(UsageParser.TryParseResponse(Utf8(body), out var usage));

        Assert.Equal(default, usage);
    }

    [Theory]
    [InlineData("1000.0")]
    [InlineData("1e3")]
    [InlineData("1000")]
    public void TryParseResponse_AWholeCountWrittenAsAFloat_IsThatCount(string prompt)
    {
        Assert.True(UsageParser.TryParseResponse(Encoding.UTF8.GetBytes($$$"""{"usage":{"prompt_tokens":{{{prompt}}},"completion_tokens":5}}"""), out var usage));

        Assert.Equal(new TokenUsage(1000, 5), usage);
    }

    [Fact]
    public void TryParseResponse_PromptCountMissing_IsTotalMinusCompletion()
    {
        Assert.True(UsageParser.TryParseResponse("""{"usage":{"completion_tokens":5,"total_tokens":105}}"""u8, out var usage));

        Assert.Equal(new TokenUsage(100, 5), usage);
    }

    [Fact]
    public void TryParseResponse_TotalAlone_UsageUnknown()
    {
        // A total does not say which tokens were prompt and which completion, and they are priced apart.
        Assert.False(UsageParser.TryParseResponse("""{"usage":{"total_tokens":1500}}"""u8, out var usage));

        Assert.Equal(default, usage);
    }

    [Fact]
    public void TryParseResponse_UnreadableTotalBesidePromptAndCompletion_IsIgnored()
    {
        Assert.True(UsageParser.TryParseResponse("""{"usage":{"prompt_tokens":7,"completion_tokens":3,"total_tokens":4294967294}}"""u8, out var usage));

        Assert.Equal(new TokenUsage(7, 3), usage);
    }

    [Fact]
    public void TryParseResponse_UnreadableTotalWithoutACompletionCount_UsageUnknown()
    {
        Assert.False(UsageParser.TryParseResponse("""{"usage":{"prompt_tokens":7,"total_tokens":"10"}}"""u8, out _));
    }

    [Fact]
    public void TryParseResponse_NullCount_IsLeftOut()
    {
        Assert.True(UsageParser.TryParseResponse("""{"usage":{"prompt_tokens":7,"completion_tokens":3,"total_tokens":null}}"""u8, out var usage));

        Assert.Equal(new TokenUsage(7, 3), usage);
    }

    [Theory]
    [InlineData("\"7\"")]
    [InlineData("99999999999999")]
    [InlineData("-1")]
    [InlineData("1e10")]
    [InlineData("1e-400")]
    [InlineData("1.5")]
    [InlineData("true")]
    public void TryParseResponse_ACountThatIsNoCount_UsageUnknownNotZero(string prompt)
    {
        // Read as 0 beside the readable completion count, the request would be priced far too low.
        Assert.False(UsageParser.TryParseResponse(Encoding.UTF8.GetBytes($$$"""{"usage":{"prompt_tokens":{{{prompt}}},"completion_tokens":5}}"""), out var usage));

        Assert.Equal(default, usage);
    }

    [Fact]
    public void TryParseChunk_ContentChunk_HasNoUsageAndIsNotUsageOnly()
    {
        Assert.False(UsageParser.TryParseChunk(Utf8(ContentChunk), out var usage, out var usageOnly));

        Assert.Equal(default, usage);
        Assert.False(usageOnly);
    }

    [Fact]
    public void TryParseChunk_FinalUsageChunk_IsUsageOnly()
    {
        Assert.True(UsageParser.TryParseChunk(Utf8(UsageChunk), out var usage, out var usageOnly));

        Assert.Equal(new TokenUsage(19, 10), usage);
        Assert.True(usageOnly);
    }

    [Fact]
    public void TryParseChunk_UsageBesideChoices_IsNotUsageOnly()
    {
        // vLLM's continuous_usage_stats puts usage on content chunks.
        var chunk = """{"choices":[{"index":0,"delta":{"content":"hi"}}],"usage":{"prompt_tokens":4,"completion_tokens":1,"total_tokens":5}}""";

        Assert.True(UsageParser.TryParseChunk(Utf8(chunk), out var usage, out var usageOnly));

        Assert.Equal(new TokenUsage(4, 1), usage);
        Assert.False(usageOnly);
    }

    [Fact]
    public void TryParseChunk_UsageWithoutChoicesKey_IsUsageOnly()
    {
        var chunk = """{"id":"c1","object":"chat.completion.chunk","model":"m","usage":{"prompt_tokens":4,"completion_tokens":1,"total_tokens":5}}""";

        Assert.True(UsageParser.TryParseChunk(Utf8(chunk), out var usage, out var usageOnly));

        Assert.Equal(new TokenUsage(4, 1), usage);
        Assert.True(usageOnly);
    }

    [Fact]
    public void TryParseChunk_EmptyChoicesWithoutUsage_IsNotUsageOnly()
    {
        Assert.False(UsageParser.TryParseChunk("""{"choices":[],"usage":null}"""u8, out _, out var usageOnly));

        Assert.False(usageOnly);
    }

    [Theory]
    [InlineData("0.1,0.2]}],\"usage\":{\"prompt_tokens\":12,\"total_tokens\":12}}", 12)]
    [InlineData("\"text\":\"say \\\"usage\\\": {}\"}],\"usage\" :\n{\"prompt_tokens\":5,\"completion_tokens\":2}}", 5)]
    public void TryParseUsageInTail_EndOfALongBody_ReadsTheLastUsageObject(string tail, int prompt)
    {
        Assert.True(UsageParser.TryParseUsageInTail(System.Text.Encoding.UTF8.GetBytes(tail), out var usage));
        Assert.Equal(prompt, usage.PromptTokens);
    }

    [Theory]
    [InlineData("0.1,0.2]}]}")] // no usage
    [InlineData("],\"usage\":null}")]
    [InlineData("\"text\":\"a \\\"usage\\\": {\\\"prompt_tokens\\\":9}\"}]}")] // only inside a string
    public void TryParseUsageInTail_NoUsageObject_False(string tail)
    {
        Assert.False(UsageParser.TryParseUsageInTail(System.Text.Encoding.UTF8.GetBytes(tail), out _));
    }
}
