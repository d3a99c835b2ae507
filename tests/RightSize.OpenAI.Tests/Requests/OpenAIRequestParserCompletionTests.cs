using System.Text;
using RightSize.OpenAI.Chat;
using RightSize.OpenAI.Errors;
using RightSize.OpenAI.Requests;

namespace RightSize.OpenAI.Tests.Requests;

public class OpenAIRequestParserCompletionTests
{
    [Theory]
    [InlineData("\"Say hi\"", "Say hi")]
    [InlineData("[\"first\",\"second\"]", "first\nsecond")]
    [InlineData("[1,2,3]", "")]
    [InlineData("[[1,2],[3]]", "")]
    [InlineData("[]", "")]
    public void TryParseCompletion_Prompt_BecomesOneUserTurn(string prompt, string expected)
    {
        var ok = OpenAIRequestParser.TryParseCompletion(
            Encoding.UTF8.GetBytes($$"""{"model":"gpt-3.5-turbo-instruct","prompt":{{prompt}},"max_tokens":16,"stream":true}"""),
            out var request,
            out var error);

        Assert.True(ok, error?.Message);
        Assert.NotNull(request);
        Assert.Equal("gpt-3.5-turbo-instruct", request.Model);
        Assert.True(request.Stream);
        Assert.Equal(new ChatTurn("user", expected), Assert.Single(request.Prompt!.Turns));
        Assert.Equal(16, request.Prompt.MaxTokens);
    }

    [Theory]
    [InlineData("\"Say hi\"", 0)]
    [InlineData("[1,2,3]", 3)]
    [InlineData("[[1,2],[3]]", 3)]
    [InlineData("[0,2147483647]", 2)]
    public void TryParseCompletion_TokenIds_CountedAsUncountedTokens(string prompt, int tokens)
    {
        var ok = OpenAIRequestParser.TryParseCompletion(Encoding.UTF8.GetBytes($$"""{"model":"m","prompt":{{prompt}},"max_tokens":1}"""), out var request, out var error);

        Assert.True(ok, error?.Message);
        Assert.Equal(tokens, request!.Prompt!.UncountedTokens);
        Assert.Equal(1, request.Prompt.MaxTokens); // the field after the prompt is still read
    }

    [Theory]
    [InlineData("{\"model\":\"m\"}", "prompt")]
    [InlineData("{\"prompt\":null}", "prompt")]
    [InlineData("{\"prompt\":5}", "prompt")]
    [InlineData("{\"prompt\":{\"text\":\"a\"}}", "prompt")]
    [InlineData("{\"prompt\":[\"a\",true]}", "prompt[1]")]
    [InlineData("{\"prompt\":[\"text\",[4,5]]}", "prompt[1]")] // OpenAI takes no mix of strings and token ids
    [InlineData("{\"prompt\":[\"a\",1]}", "prompt[1]")]
    [InlineData("{\"prompt\":[1,[2]]}", "prompt[1]")]
    [InlineData("{\"prompt\":[1.5]}", "prompt[0]")] // a token id is an integer
    [InlineData("{\"prompt\":[1,-5,3]}", "prompt[1]")] // of 0 or more
    [InlineData("{\"prompt\":[[1,2,99999999999999999999]]}", "prompt[0][2]")]
    [InlineData("{\"prompt\":[[1,\"a\"]]}", "prompt[0][1]")]
    [InlineData("{\"prompt\":\"a\",\"max_tokens\":\"many\"}", "max_tokens")]
    public void TryParseCompletion_BadPrompt_NamesParam(string body, string param)
    {
        var ok = OpenAIRequestParser.TryParseCompletion(Encoding.UTF8.GetBytes(body), out _, out var error);

        Assert.False(ok);
        Assert.NotNull(error);
        Assert.Equal(400, error.StatusCode);
        Assert.Equal(param, error.Param);
    }

    [Fact]
    public void TryParseCompletion_MessagesField_IsNotRequiredOrRead()
    {
        var ok = OpenAIRequestParser.TryParseCompletion("""{"messages":5,"prompt":"p"}"""u8, out var request, out _);

        Assert.True(ok);
        Assert.NotNull(request);
        Assert.Equal("p", request.Prompt!.Turns[0].Text);
    }

    [Theory]
    [InlineData("\"hello\"")]
    [InlineData("[\"a\",\"b\"]")]
    [InlineData("[[1,2],[3]]")]
    [InlineData("[0,1,2]")]
    public void TryParseEmbeddings_Input_ReadsModelWithoutPrompt(string input)
    {
        var ok = OpenAIRequestParser.TryParseEmbeddings(
            Encoding.UTF8.GetBytes($$"""{"input":{{input}},"model":"text-embedding-3-small","encoding_format":"float"}"""),
            out var request,
            out var error);

        Assert.True(ok, error?.Message);
        Assert.NotNull(request);
        Assert.Equal("text-embedding-3-small", request.Model);
        Assert.Null(request.Prompt);
        Assert.False(request.Stream);
    }

    [Theory]
    [InlineData("{\"model\":\"e\"}", "input")]
    [InlineData("{\"input\":null}", "input")]
    [InlineData("{\"input\":42}", "input")]
    [InlineData("{\"input\":\"a\",\"model\":false}", "model")]
    [InlineData("{\"input\":[]}", "input")]
    [InlineData("{\"input\":[null]}", "input[0]")]
    [InlineData("{\"input\":[true]}", "input[0]")]
    [InlineData("{\"input\":[1,\"a\"]}", "input[1]")]
    [InlineData("{\"input\":[[1],\"a\"]}", "input[1]")]
    [InlineData("{\"input\":[-1]}", "input[0]")]
    [InlineData("{\"input\":[1.5]}", "input[0]")]
    [InlineData("{\"input\":[[]]}", "input[0]")]
    [InlineData("{\"input\":[[1],[]]}", "input[1]")]
    [InlineData("{\"input\":[[[1]]]}", "input[0][0]")]
    public void TryParseEmbeddings_BadInput_NamesParam(string body, string param)
    {
        var ok = OpenAIRequestParser.TryParseEmbeddings(Encoding.UTF8.GetBytes(body), out _, out var error);

        Assert.False(ok);
        Assert.NotNull(error);
        Assert.Equal(param, error.Param);
        Assert.Equal(OpenAIErrorTypes.InvalidRequest, error.Type);
    }

    [Fact]
    public void TryParseEmbeddings_Malformed_IsInvalidJson()
    {
        var ok = OpenAIRequestParser.TryParseEmbeddings("""{"input":"a" """u8, out _, out var error);

        Assert.False(ok);
        Assert.NotNull(error);
        Assert.Equal(OpenAIErrorCodes.InvalidJson, error.Code);
    }
}
