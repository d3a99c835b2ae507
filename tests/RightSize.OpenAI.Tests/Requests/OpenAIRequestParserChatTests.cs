using RightSize.OpenAI.Chat;

namespace RightSize.OpenAI.Tests.Requests;

public class OpenAIRequestParserChatTests
{
    [Fact]
    public void TryParseChat_MinimalRequest_ReadsModelAndTurns()
    {
        var request = ParserAssert.Chat("""{"model":"gpt-4o","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}]}""");

        Assert.Equal("gpt-4o", request.Model);
        Assert.False(request.Stream);
        Assert.NotNull(request.Prompt);
        Assert.Equal([new ChatTurn("system", "Be brief."), new ChatTurn("user", "Hi")], request.Prompt.Turns);
        Assert.Equal(0, request.Prompt.ToolCount);
        Assert.Null(request.Prompt.ResponseFormatType);
        Assert.Null(request.Prompt.MaxTokens);
    }

    [Fact]
    public void TryParseChat_MultimodalContent_JoinsTextPartsAndIgnoresImages()
    {
        var request = ParserAssert.Chat("""
            {"messages":[{"role":"user","content":[
              {"type":"text","text":"What is in"},
              {"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA","detail":"low"}},
              {"text":"this picture?","type":"text"},
              {"type":"input_audio","input_audio":{"data":"AAAA","format":"wav"}}
            ]}]}
            """);

        Assert.Equal("What is in\nthis picture?", Assert.Single(request.Prompt!.Turns).Text);
    }

    [Fact]
    public void TryParseChat_ImageOnlyAndNullContent_GiveEmptyText()
    {
        var request = ParserAssert.Chat("""
            {"messages":[
              {"role":"user","content":[{"type":"image_url","image_url":{"url":"https://example.com/a.png"}}]},
              {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}]},
              {"role":"tool","tool_call_id":"call_1","content":"42"}
            ]}
            """);

        Assert.Equal([new ChatTurn("user", ""), new ChatTurn("assistant", ""), new ChatTurn("tool", "42")], request.Prompt!.Turns);
    }

    [Fact]
    public void TryParseChat_ToolsAndFunctions_AreCounted()
    {
        var request = ParserAssert.Chat("""
            {"messages":[{"role":"user","content":"weather?"}],
             "tools":[{"type":"function","function":{"name":"a","parameters":{"type":"object","properties":{"x":{"type":"array","items":[1,2,{"deep":[[]]}]}}}}},
                      {"type":"function","function":{"name":"b"}}],
             "functions":[{"name":"legacy"}]}
            """);

        Assert.Equal(3, request.Prompt!.ToolCount);
    }

    [Theory]
    [InlineData("""{"type":"json_object"}""", "json_object")]
    [InlineData("""{"json_schema":{"name":"x","schema":{"type":"object"}},"type":"json_schema"}""", "json_schema")]
    [InlineData("""{"type":"text"}""", "text")]
    [InlineData("null", null)]
    public void TryParseChat_ResponseFormat_ReadsType(string responseFormat, string? expected)
    {
        var request = ParserAssert.Chat($$"""{"messages":[{"role":"user","content":"x"}],"response_format":{{responseFormat}}}""");

        Assert.Equal(expected, request.Prompt!.ResponseFormatType);
    }

    [Theory]
    [InlineData("\"max_tokens\":100", 100)]
    [InlineData("\"max_completion_tokens\":250", 250)]
    [InlineData("\"max_tokens\":100,\"max_completion_tokens\":250", 250)]
    [InlineData("\"max_completion_tokens\":250,\"max_tokens\":100", 250)]
    [InlineData("\"max_tokens\":null", null)]
    public void TryParseChat_TokenLimits_PreferMaxCompletionTokens(string field, int? expected)
    {
        var request = ParserAssert.Chat($$"""{"messages":[{"role":"user","content":"x"}],{{field}}}""");

        Assert.Equal(expected, request.Prompt!.MaxTokens);
    }

    [Theory]
    [InlineData("\"stream\":true", true)]
    [InlineData("\"stream\":true,\"stream_options\":{\"include_usage\":true}", true)]
    [InlineData("\"stream\":true,\"stream_options\":{\"include_usage\":false}", true)]
    [InlineData("\"stream_options\":{},\"stream\":false", false)]
    [InlineData("\"stream\":null,\"stream_options\":null", false)]
    public void TryParseChat_StreamFields_AreRead(string fields, bool stream)
    {
        var request = ParserAssert.Chat($$"""{"messages":[{"role":"user","content":"x"}],{{fields}}}""");

        Assert.Equal(stream, request.Stream);
    }

    [Fact]
    public void TryParseChat_UnknownAndVendorFields_AreSkipped()
    {
        var request = ParserAssert.Chat("""
            {"temperature":0.2,"logprobs":true,"top_logprobs":3,"metadata":{"a":"b"},
             "x_vendor":{"nested":[1,[2,[3,{"k":null}]]],"s":"\u00e9\ud83d\ude00"},
             "messages":[{"role":"user","name":"ann","content":"hello","x":{"y":[]}}],
             "model":"auto"}
            """);

        Assert.Equal("auto", request.Model);
        Assert.Equal("hello", Assert.Single(request.Prompt!.Turns).Text);
    }

    [Fact]
    public void TryParseChat_EscapedStringsAndKeys_AreUnescaped()
    {
        var request = ParserAssert.Chat("""{"\u006dodel":"gpt\u002d4o","messages":[{"role":"user","content":"line1\nline2 \u00e9 \ud83d\ude00"}]}""");

        Assert.Equal("gpt-4o", request.Model);
        Assert.Equal("line1\nline2 é 😀", request.Prompt!.Turns[0].Text);
    }

    [Fact]
    public void TryParseChat_ByteOrderMark_IsIgnored()
    {
        byte[] body = [0xEF, 0xBB, 0xBF, .. """{"messages":[{"role":"user","content":"x"}]}"""u8];

        Assert.True(RightSize.OpenAI.Requests.OpenAIRequestParser.TryParseChat(body, out var request, out _));
        Assert.Single(request.Prompt!.Turns);
    }

    [Fact]
    public void TryParseChat_CustomRole_IsKeptAsSent()
    {
        var request = ParserAssert.Chat("""{"messages":[{"role":"narrator","content":"x"}]}""");

        Assert.Equal("narrator", request.Prompt!.Turns[0].Role);
    }

    [Fact]
    public void TryParseChat_NestingWithinLimit_Parses()
    {
        var deep = new string('[', 60) + new string(']', 60);
        var request = ParserAssert.Chat($$"""{"x":{{deep}},"messages":[{"role":"user","content":"x"}]}""");

        Assert.Single(request.Prompt!.Turns);
    }

    [Fact]
    public void Chat_AssistantToolCalls_ArgumentsCountedAsUncountedTokens()
    {
        // 400 characters of arguments and an 8-character name: 102 tokens at four characters a token.
        var arguments = new string('a', 400);
        var request = ParserAssert.Chat($$$"""{"model":"auto","messages":[{"role":"user","content":"go"},{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"lookupxy","arguments":"{{{arguments}}}"}}]},{"role":"tool","tool_call_id":"c1","content":"done"}],"max_tokens":9}""");

        Assert.Equal((2 + 400 + 8 + 8 + 3) / 4, request.Prompt!.UncountedTokens); // "c1", the arguments, "function", the name
        Assert.Equal(3, request.Prompt.Turns.Count);
        Assert.Equal(9, request.Prompt.MaxTokens);
    }

    [Theory]
    [InlineData("tools")]
    [InlineData("functions")]
    public void Chat_ToolDefinitions_CountedAtFourBytesAToken(string field)
    {
        // Definitions are prompt tokens the model reads; their JSON as sent, four bytes a token.
        const string definitions = """[{"type":"function","function":{"name":"get_weather","description":"Weather for a city","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]""";

        var request = ParserAssert.Chat($$"""{"messages":[{"role":"user","content":"hi"}],"{{field}}": {{definitions}} }""");

        Assert.Equal((definitions.Length + 3) / 4, request.Prompt!.UncountedTokens);
        Assert.Equal(1, request.Prompt.ToolCount);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("null")]
    public void Chat_NoToolDefinitions_CountNothing(string tools)
    {
        var request = ParserAssert.Chat($$"""{"messages":[{"role":"user","content":"hi"}],"tools":{{tools}},"functions":{{tools}}}""");

        Assert.Equal(0, request.Prompt!.UncountedTokens);
    }

    [Fact]
    public void Chat_JsonSchemaResponseFormat_SchemaCountedAtFourBytesAToken()
    {
        const string schema = """{"name":"answer","strict":true,"schema":{"type":"object","properties":{"verdict":{"type":"string","enum":["yes","no"]}}}}""";

        var request = ParserAssert.Chat($$"""{"response_format":{"type":"json_schema","json_schema": {{schema}} },"messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal((schema.Length + 3) / 4, request.Prompt!.UncountedTokens);
        Assert.Equal("json_schema", request.Prompt.ResponseFormatType);
    }

    [Fact]
    public void Chat_LargeToolList_EstimateFollowsItsSize()
    {
        // The reviewer's case: a 590,980-byte tool list was estimated at 1 token.
        var description = string.Concat(Enumerable.Repeat("A long description of what this field means. ", 10));
        var properties = string.Join(",", Enumerable.Range(0, 60).Select(i => $"\"f{i}\":{{\"type\":\"string\",\"description\":\"{description}\"}}"));
        var tools = "[" + string.Join(",", Enumerable.Range(0, 20).Select(t => $"{{\"type\":\"function\",\"function\":{{\"name\":\"tool_{t}\",\"parameters\":{{\"type\":\"object\",\"properties\":{{{properties}}}}}}}}}")) + "]";

        var request = ParserAssert.Chat($$"""{"model":"auto","tools":{{tools}},"messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal((tools.Length + 3) / 4, request.Prompt!.UncountedTokens);
        Assert.True(request.Prompt.UncountedTokens > 140_000);
        Assert.Equal(20, request.Prompt.ToolCount);
    }
}
