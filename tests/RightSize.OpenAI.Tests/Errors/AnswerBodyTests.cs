using System.Text;
using RightSize.OpenAI.Errors;

namespace RightSize.OpenAI.Tests.Errors;

public sealed class AnswerBodyTests
{
    [Theory]
    [InlineData("""{"id":"c1","choices":[],"usage":{"prompt_tokens":1}}""", AnswerKind.Answer)]
    [InlineData("""{"id":"c1","error":null}""", AnswerKind.Answer)]
    [InlineData("\uFEFF{\"id\":\"c1\"} \n", AnswerKind.Answer)]
    [InlineData("""{"error":{"message":"boom","type":"server_error"}}""", AnswerKind.ErrorObject)]
    [InlineData("""{"error":"model not found"}""", AnswerKind.ErrorObject)]
    [InlineData("<html><body>Sign in</body></html>", AnswerKind.NotJson)]
    [InlineData("", AnswerKind.NotJson)]
    [InlineData("""{"id":"c1",""", AnswerKind.NotJson)]
    [InlineData("""{"id":"c1"} trailing""", AnswerKind.NotJson)]
    [InlineData("[DONE]", AnswerKind.NotJson)]
    public void Judge_Body_Kind(string body, AnswerKind expected) => Assert.Equal(expected, AnswerBody.Judge(Encoding.UTF8.GetBytes(body)));

    [Fact]
    public void Judge_AnswerWithAnExtensionFieldDeeperThan64Levels_IsAnAnswer()
    {
        var body = "{\"id\":\"c1\",\"x_ext\":" + new string('[', 70) + new string(']', 70) + "}";

        Assert.Equal(AnswerKind.Answer, AnswerBody.Judge(Encoding.UTF8.GetBytes(body)));
    }
}
