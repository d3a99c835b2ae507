using RightSize.Classification.Models;
using RightSize.OpenAI.Chat;

namespace RightSize.Classification.Tests.Models;

public sealed class GoldenVectorsTests
{
    [Fact]
    public void Write_ThenRead_RoundTripsPromptAndProbabilitiesExactly()
    {
        using var dir = new TempDirectory();
        var prompt = new ChatPrompt([new ChatTurn("system", "Be brief."), new ChatTurn("user", "Line one\nline \"two\" ✓")], 3, "json_schema", 256);
        var vector = GoldenVector.From(prompt, 0.123456789f, 0.987654321f, "case-1");

        GoldenVectors.Write(dir.File("golden.jsonl"), [vector, GoldenVector.From(ChatPrompt.FromUserText("x"), 0.1f, 0.2f)]);
        var read = GoldenVectors.Read(dir.File("golden.jsonl"));

        Assert.Equal(2, read.Count);
        Assert.Equal("case-1", read[0].Id);
        Assert.Equal([0.123456789f, 0.987654321f], read[0].P);
        var back = read[0].ToPrompt();
        Assert.Equal(prompt.Turns, back.Turns);
        Assert.Equal(3, back.ToolCount);
        Assert.Equal("json_schema", back.ResponseFormatType);
        Assert.Equal(256, back.MaxTokens);
        Assert.Equal(2, File.ReadAllLines(dir.File("golden.jsonl")).Length);
    }

    [Fact]
    public void Read_MalformedLine_NamesFileAndLine()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("golden.jsonl"), "{\"messages\":[{\"role\":\"user\",\"content\":\"a\"}],\"p\":[0.1,0.2]}\n\n{not json}\n");

        var ex = Assert.Throws<ClassifierModelException>(() => GoldenVectors.Read(dir.File("golden.jsonl")));

        Assert.Contains("golden.jsonl:3", ex.Message);
    }

    [Fact]
    public void Read_FileThatCannotBeRead_ModelExceptionNamingTheFile()
    {
        using var dir = new TempDirectory();
        var path = dir.UnreadableFile("golden.jsonl");

        var ex = Assert.Throws<ClassifierModelException>(() => GoldenVectors.Read(path));

        Assert.StartsWith($"The golden vectors file '{path}' cannot be read: ", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"a\"}],\"p\":[0.1]}")]
    [InlineData("{\"messages\":null,\"p\":[0.1,0.2]}")]
    [InlineData("{\"messages\":[null],\"p\":[0.1,0.2]}")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"a\"}],\"p\":null}")]
    public void Read_LineWithoutMessagesOrTwoProbabilities_IsRejectedNamingFileAndLine(string line)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("golden.jsonl"), line + "\n");

        var ex = Assert.Throws<ClassifierModelException>(() => GoldenVectors.Read(dir.File("golden.jsonl")));

        Assert.Contains("golden.jsonl:1", ex.Message);
    }
}
