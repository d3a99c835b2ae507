using System.Text;
using RightSize.OpenAI.Json;

namespace RightSize.OpenAI.Tests.Json;

public sealed class SurrogateEscapesTests
{
    [Theory]
    [InlineData("""{"a":"plain text"}""")]
    [InlineData("""{"a":"caf\u00e9 \u2615"}""")]
    [InlineData("""{"a":"\ud83d\ude00"}""")]
    [InlineData("""{"a":"\uD83D\uDE00 and \ud800\udc00"}""")]
    [InlineData("""{"a":"C:\\ud800 is a path, not an escape"}""")]
    [InlineData("""{"a":"\\\\ud800"}""")]
    [InlineData("""{"\ud83d\ude00":1}""")]
    [InlineData("""{"a":"\u4e2d\u6587 \uD7FF \uE000"}""")]
    [InlineData("""{"a":"\ud83d\uDE00 \uD83D\ude00"}""")]
    public void ArePaired_NoLoneSurrogate_True(string json) => Assert.True(SurrogateEscapes.ArePaired(Encoding.UTF8.GetBytes(json)));

    [Theory]
    [InlineData("""{"a":"\ud800"}""")]
    [InlineData("""{"a":"\udc00"}""")]
    [InlineData("""{"a":"\ude00\ud83d"}""")]
    [InlineData("""{"a":"\ud83d\u0041"}""")]
    [InlineData("""{"a":"\ud83dx\ude00"}""")]
    [InlineData("""{"a":"\\\ud800"}""")]
    [InlineData("""{"a":"ok \ud83d\ude00 then \uDBFF"}""")]
    [InlineData("""{"\ud800":1}""")]
    [InlineData("""{"a":"\\uD83D\uDE00"}""")]
    [InlineData("""{"a":"\uD83D\\uDE00"}""")]
    public void ArePaired_LoneSurrogate_False(string json) => Assert.False(SurrogateEscapes.ArePaired(Encoding.UTF8.GetBytes(json)));
}
