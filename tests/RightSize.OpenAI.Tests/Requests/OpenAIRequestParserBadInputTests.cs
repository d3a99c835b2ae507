using System.Text;
using RightSize.OpenAI.Errors;
using RightSize.OpenAI.Requests;

namespace RightSize.OpenAI.Tests.Requests;

public class OpenAIRequestParserBadInputTests
{
    private const string ValidBody = """{"model":"auto","messages":[{"role":"user","content":"secret prompt text"}],"stream":true}""";

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{")]
    [InlineData("{\"messages\":")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"hi}]}")]
    [InlineData("{'messages':[]}")]
    [InlineData("{\"messages\":[],}")]
    [InlineData("{\"a\":1} trailing")]
    [InlineData("{\"a\":1}{\"b\":2}")]
    [InlineData("{\"a\":01}")]
    [InlineData("{\"a\":NaN}")]
    [InlineData("{\"a\":1 /* comment */}")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"\\ud800\"}]}")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"user\":\"\\ud800\"}")] // a field the gateway does not read
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"metadata\":{\"a\\udc00\":\"b\"}}")]
    [InlineData("not json")]
    public void TryParseChat_MalformedJson_IsInvalidJson(string body)
    {
        var error = ParserAssert.ChatError(body);

        Assert.Equal(OpenAIErrorCodes.InvalidJson, error.Code);
        Assert.Null(error.Param);
    }

    [Fact]
    public void TryParseChat_EveryTruncation_IsRejectedWithoutThrowing()
    {
        var body = Encoding.UTF8.GetBytes(ValidBody);
        for (var length = 0; length < body.Length; length++)
        {
            var error = ParserAssert.ChatError(body[..length]);
            Assert.Equal(OpenAIErrorCodes.InvalidJson, error.Code);
        }
    }

    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xC3, 0x28 })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    [InlineData(new byte[] { 0xE2, 0x82 })]
    public void TryParseChat_InvalidUtf8InsideString_IsInvalidJson(byte[] bad)
    {
        byte[] body = [.. """{"messages":[{"role":"user","content":"a"""u8, .. bad, .. "\"}]}"u8];

        var error = ParserAssert.ChatError(body);

        Assert.Equal(OpenAIErrorCodes.InvalidJson, error.Code);
        Assert.Contains("UTF-8", error.Message);
    }

    [Theory]
    [InlineData(65)]
    [InlineData(10_000)]
    [InlineData(1_000_000)]
    public void TryParseChat_HugeNesting_IsInvalidJsonWithoutStackOverflow(int depth)
    {
        var body = "{\"x\":" + new string('[', depth) + new string(']', depth) + ",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";

        var error = ParserAssert.ChatError(body);

        Assert.Equal(OpenAIErrorCodes.InvalidJson, error.Code);
        Assert.Equal("The request body is nested deeper than 64 levels.", error.Message);
    }

    [Fact]
    public void TryParseChat_NestedToTheLimit_IsAcceptedAndAnErrorThereIsASyntaxError()
    {
        // The body's object and 63 arrays: 64 levels, the most allowed.
        var deepest = "{\"x\":" + new string('[', 63) + "1,2" + new string(']', 63) + ",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
        Assert.True(OpenAIRequestParser.TryParseChat(System.Text.Encoding.UTF8.GetBytes(deepest), out _, out var none), none?.Message);

        var error = ParserAssert.ChatError(deepest.Replace("1,2", "1,x", StringComparison.Ordinal));

        Assert.StartsWith("The request body is not valid JSON (line 1, byte ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(64, "{\"a\":", "1", "}")]
    [InlineData(70, "{\"a\":", "1", "}")]
    [InlineData(10_000, "{\"a\":", "1", "}")]
    [InlineData(64, "[1,", "2", "]")] // the bracket too deep comes after a sibling
    [InlineData(64, "{\"a\":1,\"b\":", "2", "}")]
    public void TryParseChat_HugeNestingAfterOtherTokens_IsInvalidJsonNamingTheDepth(int depth, string open, string inner, string close)
    {
        var body = "{\"x\":" + string.Concat(Enumerable.Repeat(open, depth)) + inner + string.Concat(Enumerable.Repeat(close, depth)) + ",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";

        var error = ParserAssert.ChatError(body);

        Assert.Equal(OpenAIErrorCodes.InvalidJson, error.Code);
        Assert.Equal("The request body is nested deeper than 64 levels.", error.Message);
    }

    [Theory]
    [InlineData("""{"model":"m-small","model":"","messages":[{"role":"user","content":"x"}]}""", "model")]
    [InlineData("""{"model":"m-small","messages":[{"role":"user","content":"x"}],"model":null}""", "model")]
    [InlineData("""{"model":"a","mod\u0065l":"b","messages":[{"role":"user","content":"x"}]}""", "model")]
    [InlineData("""{"stream":true,"messages":[{"role":"user","content":"x"}],"stream":false}""", "stream")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"messages":[{"role":"user","content":"y"}]}""", "messages")]
    [InlineData("""{"max_tokens":5,"max_tokens":50000,"messages":[{"role":"user","content":"x"}]}""", "max_tokens")]
    [InlineData("""{"stream":true,"stream_options":{"include_usage":false,"include_usage":true},"messages":[{"role":"user","content":"x"}]}""", "stream_options.include_usage")]
    [InlineData("""{"stream_options":null,"stream_options":{},"messages":[{"role":"user","content":"x"}]}""", "stream_options")]
    [InlineData("""{"max_completion_tokens":5,"max_completion_tokens":9,"messages":[{"role":"user","content":"x"}]}""", "max_completion_tokens")]
    [InlineData("""{"tools":[],"tools":[{"type":"function"}],"messages":[{"role":"user","content":"x"}]}""", "tools")]
    [InlineData("""{"functions":[],"functions":[],"messages":[{"role":"user","content":"x"}]}""", "functions")]
    [InlineData("""{"response_format":null,"response_format":{"type":"text"},"messages":[{"role":"user","content":"x"}]}""", "response_format")]
    public void TryParseChat_AFieldItReadsGivenTwice_IsRefusedNamingIt(string body, string field)
    {
        var error = ParserAssert.ChatError(body);

        Assert.Equal(400, error.StatusCode);
        Assert.Equal(field, error.Param);
        Assert.Equal($"'{field}' appears more than once in the request body; send it once.", error.Message);
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":"Say hello","content":"a hard question"}]}""", "messages[0].content")]
    [InlineData("""{"messages":[{"role":"user","content":"x"},{"role":"user","role":"system","content":"y"}]}""", "messages[1].role")]
    [InlineData("""{"messages":[{"role":"user","content":[{"type":"text","text":"a","text":"b"}]}]}""", "messages[0].content[0].text")]
    [InlineData("""{"response_format":{"type":"json_object","type":"text"},"messages":[{"role":"user","content":"x"}]}""", "response_format.type")]
    [InlineData("""{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"u","detail":"high","detail":"low"}}]}]}""", "messages[0].content[0].image_url.detail")]
    [InlineData("""{"messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"AAAA","data":"AA","format":"wav"}}]}]}""", "messages[0].content[0].input_audio.data")]
    public void TryParseChat_AFieldItReadsGivenTwiceInsideAnObject_IsRefusedNamingIt(string body, string field)
    {
        var error = ParserAssert.ChatError(body);

        Assert.Equal(400, error.StatusCode);
        Assert.Equal(field, error.Param);
        Assert.Equal($"'{field}' appears more than once in the request body; send it once.", error.Message);
    }

    // Go's encoding/json (behind Ollama's OpenAI API) and .NET's with web defaults match keys in
    // any case, ſ and the Kelvin sign folding to s and k: such an upstream would read these.
    [Theory]
    [InlineData("""{"model":"cheap","Model":"big-model","messages":[{"role":"user","content":"x"}]}""", "Model", "model")]
    [InlineData("""{"Messages":[{"role":"user","content":"hard"}],"messages":[{"role":"user","content":"x"}]}""", "Messages", "messages")]
    [InlineData("""{"STREAM":true,"messages":[{"role":"user","content":"x"}]}""", "STREAM", "stream")]
    [InlineData("""{"\u017Ftream":true,"messages":[{"role":"user","content":"x"}]}""", "\u017Ftream", "stream")]
    [InlineData("""{"max_to\u212Aens":9,"messages":[{"role":"user","content":"x"}]}""", "max_to\u212Aens", "max_tokens")]
    [InlineData("""{"Tools":[{"type":"function"}],"messages":[{"role":"user","content":"x"}]}""", "Tools", "tools")]
    [InlineData("""{"messages":[{"role":"user","content":"easy","Content":"hard"}]}""", "messages[0].Content", "messages[0].content")]
    [InlineData("""{"messages":[{"role":"user","content":[{"type":"text","Text":"hard"}]}]}""", "messages[0].content[0].Text", "messages[0].content[0].text")]
    [InlineData("""{"stream":true,"stream_options":{"Include_Usage":false},"messages":[{"role":"user","content":"x"}]}""", "stream_options.Include_Usage", "stream_options.include_usage")]
    [InlineData("""{"messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"AA","Data":"AAAAAAAA","format":"wav"}}]}]}""", "messages[0].content[0].input_audio.Data", "messages[0].content[0].input_audio.data")]
    [InlineData("""{"messages":[{"role":"user","content":[{"type":"file","file":{"FILE_DATA":"AAAA"}}]}]}""", "messages[0].content[0].file.FILE_DATA", "messages[0].content[0].file.file_data")]
    [InlineData("""{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"u","Detail":"low"}}]}]}""", "messages[0].content[0].image_url.Detail", "messages[0].content[0].image_url.detail")]
    public void TryParseChat_AFieldItReadsInAnotherCase_IsRefusedNamingBoth(string body, string spelt, string field)
    {
        var error = ParserAssert.ChatError(body);

        var sent = System.Text.RegularExpressions.Regex.Unescape(spelt);
        Assert.Equal(400, error.StatusCode);
        Assert.Equal(sent, error.Param);
        Assert.Equal($"'{sent}' is '{field[(field.LastIndexOf('.') + 1)..]}' in another case; field names are case-sensitive: send '{field}'.", error.Message);
    }

    [Theory]
    [InlineData("""{"Temperature":1,"model":"auto","messages":[{"role":"user","content":"x","Name":"n"}]}""")]
    [InlineData("""{"modelx":"a","model":"auto","messages":[{"role":"user","content":"x"}]}""")]
    [InlineData("""{"mod\u00e9l":"a","model":"auto","messages":[{"role":"user","content":"x"}]}""")]
    public void TryParseChat_AFieldItDoesNotReadInAnyCase_IsLeftToTheUpstream(string body)
    {
        Assert.True(OpenAIRequestParser.TryParseChat(System.Text.Encoding.UTF8.GetBytes(body), out var request, out var error), error?.Message);
        Assert.Equal("auto", request.Model);
    }

    [Fact]
    public void TryParseCompletionAndEmbeddings_TheirInputGivenTwice_IsRefusedNamingIt()
    {
        Assert.False(OpenAIRequestParser.TryParseCompletion("""{"prompt":"a","prompt":"b"}"""u8, out _, out var completion));
        Assert.False(OpenAIRequestParser.TryParseEmbeddings("""{"input":"a","input":"b"}"""u8, out _, out var embeddings));

        Assert.Equal("prompt", completion.Param);
        Assert.Equal("input", embeddings.Param);
    }

    [Fact]
    public void TryParseChat_AFieldItDoesNotReadGivenTwice_IsLeftToTheUpstream()
    {
        Assert.True(OpenAIRequestParser.TryParseChat("""{"temperature":1,"temperature":0,"model":"auto","messages":[{"role":"user","content":"x"}]}"""u8, out var request, out _));
        Assert.Equal("auto", request.Model);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("[{\"messages\":[]}]")]
    [InlineData("\"text\"")]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("true")]
    public void TryParseChat_NotAnObject_IsInvalidRequest(string body)
    {
        var error = ParserAssert.ChatError(body);

        Assert.Null(error.Code);
        Assert.Contains("JSON object", error.Message);
    }

    [Theory]
    [InlineData("{}", "messages")]
    [InlineData("{\"model\":\"auto\"}", "messages")]
    [InlineData("{\"messages\":null}", "messages")]
    [InlineData("{\"messages\":[]}", "messages")]
    [InlineData("{\"messages\":{}}", "messages")]
    [InlineData("{\"messages\":\"hi\"}", "messages")]
    [InlineData("{\"messages\":[\"hi\"]}", "messages[0]")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"a\"},null]}", "messages[1]")]
    [InlineData("{\"messages\":[{\"content\":\"a\"}]}", "messages[0].role")]
    [InlineData("{\"messages\":[{\"role\":\"user\"},{\"role\":\"user\"},{\"role\":7}]}", "messages[2].role")]
    [InlineData("{\"messages\":[{\"role\":null}]}", "messages[0].role")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":5}]}", "messages[0].content")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":{\"text\":\"a\"}}]}", "messages[0].content")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":[\"a\"]}]}", "messages[0].content[0]")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},{\"text\":\"b\"}]}]}", "messages[0].content[1].type")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":1}]}]}", "messages[0].content[0].type")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\"}]}]}", "messages[0].content[0].text")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":[]}]}]}", "messages[0].content[0].text")]
    [InlineData("{\"model\":5,\"messages\":[{\"role\":\"user\"}]}", "model")]
    [InlineData("{\"model\":[\"a\"],\"messages\":[{\"role\":\"user\"}]}", "model")]
    [InlineData("{\"stream\":\"true\",\"messages\":[{\"role\":\"user\"}]}", "stream")]
    [InlineData("{\"stream\":1,\"messages\":[{\"role\":\"user\"}]}", "stream")]
    [InlineData("{\"stream_options\":true,\"messages\":[{\"role\":\"user\"}]}", "stream_options")]
    [InlineData("{\"stream_options\":{\"include_usage\":\"yes\"},\"messages\":[{\"role\":\"user\"}]}", "stream_options.include_usage")]
    [InlineData("{\"tools\":{},\"messages\":[{\"role\":\"user\"}]}", "tools")]
    [InlineData("{\"tools\":[{\"type\":\"function\"},null],\"messages\":[{\"role\":\"user\"}]}", "tools[1]")]
    [InlineData("{\"functions\":[1],\"messages\":[{\"role\":\"user\"}]}", "functions[0]")]
    [InlineData("{\"functions\":\"f\",\"messages\":[{\"role\":\"user\"}]}", "functions")]
    [InlineData("{\"response_format\":\"json\",\"messages\":[{\"role\":\"user\"}]}", "response_format")]
    [InlineData("{\"response_format\":{\"type\":1},\"messages\":[{\"role\":\"user\"}]}", "response_format.type")]
    [InlineData("{\"max_tokens\":\"10\",\"messages\":[{\"role\":\"user\"}]}", "max_tokens")]
    [InlineData("{\"max_tokens\":1.5,\"messages\":[{\"role\":\"user\"}]}", "max_tokens")]
    [InlineData("{\"max_tokens\":-1,\"messages\":[{\"role\":\"user\"}]}", "max_tokens")]
    [InlineData("{\"max_completion_tokens\":99999999999,\"messages\":[{\"role\":\"user\"}]}", "max_completion_tokens")]
    public void TryParseChat_WrongOrMissingField_NamesParam(string body, string param)
    {
        var error = ParserAssert.ChatError(body);

        Assert.Equal(param, error.Param);
        Assert.Null(error.Code);
        Assert.Contains($"'{param}'", error.Message);
    }

    [Theory]
    [InlineData("caf\\u00e9")]
    [InlineData("a\\nb")]
    [InlineData("x\\u0001")]
    [InlineData("two words")]
    [InlineData("\\ud83d\\ude00")]
    public void TryParseChat_ModelNotVisibleAscii_InvalidModel(string escapedModel)
    {
        var error = ParserAssert.ChatError($$"""{"model":"{{escapedModel}}","messages":[{"role":"user","content":"x"}]}""");

        Assert.Equal("model", error.Param);
        Assert.Equal(OpenAIErrorCodes.InvalidModel, error.Code);
        Assert.DoesNotContain(System.Text.RegularExpressions.Regex.Unescape(escapedModel), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParseChat_ModelLongerThanTheLimit_InvalidModel()
    {
        var error = ParserAssert.ChatError($$"""{"model":"{{new string('m', ModelName.MaxLength + 1)}}","messages":[{"role":"user","content":"x"}]}""");

        Assert.Equal(OpenAIErrorCodes.InvalidModel, error.Code);
    }

    [Theory]
    [InlineData("meta-llama/Llama-3.1-70B-Instruct")]
    [InlineData("llama3:8b")]
    [InlineData("claude-3-5-sonnet@20240620")]
    public void TryParseChat_ProviderModelNames_AreAccepted(string model)
    {
        Assert.Equal(model, ParserAssert.Chat($$"""{"model":"{{model}}","messages":[{"role":"user","content":"x"}]}""").Model);
        Assert.Equal(ModelName.MaxLength, ParserAssert.Chat($$"""{"model":"{{new string('m', ModelName.MaxLength)}}","messages":[{"role":"user","content":"x"}]}""").Model!.Length);
    }

    [Fact]
    public void TryParseChat_EmptyModel_CountsAsNoModel()
    {
        Assert.Null(ParserAssert.Chat("""{"model":"","messages":[{"role":"user","content":"x"}]}""").Model);
    }

    [Fact]
    public void TryParseChat_WrongType_MessageNamesTypesButNeverTheValue()
    {
        var error = ParserAssert.ChatError("""{"messages":[{"role":"user","content":12345678}]}""");

        Assert.Equal("'messages[0].content' must be a string, an array of content parts or null, but the request has a number.", error.Message);
        Assert.DoesNotContain("12345678", error.Message);
    }

    [Fact]
    public void TryParseChat_ErrorAfterPromptText_DoesNotEchoPromptText()
    {
        var error = ParserAssert.ChatError("""{"messages":[{"role":"user","content":"secret prompt text"},{"role":"user","content":"more secret","x":}]}""");

        Assert.Equal(OpenAIErrorCodes.InvalidJson, error.Code);
        Assert.DoesNotContain("secret", error.Message);
    }

    [Fact]
    public void TryParseChat_RandomMutationsOfValidBody_NeverThrow()
    {
        var random = new Random(1234);
        var valid = Encoding.UTF8.GetBytes(ValidBody);
        for (var i = 0; i < 5_000; i++)
        {
            var body = (byte[])valid.Clone();
            var mutations = random.Next(1, 4);
            for (var m = 0; m < mutations; m++)
            {
                body[random.Next(body.Length)] = (byte)random.Next(256);
            }

            var ok = OpenAIRequestParser.TryParseChat(body, out var request, out var error);

            Assert.True(ok ? request is not null && error is null : request is null && error is { StatusCode: 400 });
        }
    }
}
