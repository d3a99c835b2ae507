using RightSize.OpenAI.Chat;

namespace RightSize.Features.Tests;

public class StructuralFeatureTests
{
    private static float Slot(ChatPrompt prompt, StructuralSlot slot)
    {
        var f = new SparseFeatures();
        FeatureExtractor.Default.Extract(prompt, f);
        var i = f.IndicesSpan.BinarySearch((long)slot);
        return i >= 0 ? f.ValuesSpan[i] : 0f;
    }

    private static float Slot(string text, StructuralSlot slot) => Slot(ChatPrompt.FromUserText(text), slot);

    [Fact]
    public void Extract_CodeFence_FiresCodeSlots()
    {
        const string text = "Fix this:\n```python\ndef f(x):\n    return x[0];\n```";
        Assert.Equal(1f, Slot(text, StructuralSlot.HasCodeFence));
        Assert.True(Slot(text, StructuralSlot.CodeMarkersLog) > 0f);
        Assert.True(Slot(text, StructuralSlot.CodeCharShare) > 0f);
        Assert.Equal(0f, Slot("plain words only", StructuralSlot.HasCodeFence));
    }

    [Fact]
    public void Extract_InlineCodeAndLatex_Fire()
    {
        Assert.True(Slot("call `foo()` then `bar`", StructuralSlot.InlineCodeLog) > 0f);
        Assert.True(Slot(@"Evaluate $\frac{1}{2} + \sqrt{x}$", StructuralSlot.LatexCommandsLog) > 0f);
        Assert.Equal(1f, Slot(@"Evaluate $x^2$", StructuralSlot.HasDollar));
        Assert.True(Slot("x^2 + 3*y = 7 ≤ 9", StructuralSlot.MathSymbolShare) > 0f);
    }

    [Theory]
    [InlineData("∑∫√π≤≥±×÷∞≠≈∂∀∃∈⊂→⇒θλΣΔ°", 0.1f)]
    [InlineData("=+*/^<>%", 0.1f)]
    [InlineData("∏ℝé日Ωµ·−", 0f)] // other symbols, letters and a minus sign that is not ASCII's
    public void Extract_MathSymbols_EveryListedOneCountsOthersDoNot(string symbols, float sharePerSymbolIn100)
    {
        foreach (var symbol in symbols)
        {
            var text = symbol + new string('w', 99);

            Assert.Equal(sharePerSymbolIn100, Slot(text, StructuralSlot.MathSymbolShare), 5);
        }
    }

    [Fact]
    public void Extract_MultipleChoiceOptions_CountsLetters()
    {
        const string four = "Which is a prime?\nA. 4\nB. 6\nC. 7\nD. 9\nAnswer:";
        Assert.Equal(1f, Slot(four, StructuralSlot.HasOptions));
        Assert.Equal(0f, Slot(four, StructuralSlot.ManyOptions));
        Assert.Equal(0.4f, Slot(four, StructuralSlot.OptionCount), 5);
        Assert.Equal(1f, Slot(four, StructuralSlot.EndsWithAnswerCue));
        const string ten = "Pick one\n(A) a\n(B) b\n(C) c\n(D) d\n(E) e\n(F) f\n(G) g\n(H) h\n(I) i\n(J) j";
        Assert.Equal(1f, Slot(ten, StructuralSlot.ManyOptions));
        Assert.Equal(1f, Slot(ten, StructuralSlot.OptionCount), 5);
    }

    [Fact]
    public void Extract_ListsAndQuestions_Fire()
    {
        Assert.True(Slot("Steps:\n- one\n- two\n1. three", StructuralSlot.ListItemsLog) > 0f);
        Assert.Equal(1f, Slot("How are you?", StructuralSlot.EndsWithQuestion));
        Assert.Equal(1f, Slot("How are you?", StructuralSlot.StartsWithQuestionWord));
        Assert.Equal(0f, Slot("Tell me a joke.", StructuralSlot.StartsWithQuestionWord));
    }

    [Fact]
    public void Extract_TrailingWhiteSpace_EndIsReadWithinTheStructuralTail()
    {
        var tail = FeatureExtractorOptions.Default.StructuralScanChars / 4;
        Assert.Equal(1f, Slot("Is it prime?" + new string(' ', tail - 1), StructuralSlot.EndsWithQuestion));
        Assert.Equal(1f, Slot("Answer:\n\t " + new string('\n', tail - 4), StructuralSlot.EndsWithAnswerCue));
        Assert.Equal(0f, Slot("Is it prime?" + new string(' ', tail), StructuralSlot.EndsWithQuestion));
        Assert.Equal(0f, Slot("Is it prime?" + new string(' ', 2_000_000), StructuralSlot.EndsWithQuestion));
    }

    [Fact]
    public void Extract_ReasoningMarkers_Fire()
    {
        Assert.Equal(1f, Slot("Solve it step by step.", StructuralSlot.StepByStep));
        Assert.True(Slot("Prove the lemma and justify each claim.", StructuralSlot.ReasoningMarkersLog) > 0f);
        Assert.True(Slot("Write a poem about rain.", StructuralSlot.CreativeMarkersLog) > 0f);
        Assert.True(Slot("Translate hello to French.", StructuralSlot.SimpleMarkersLog) > 0f);
        Assert.True(Slot("Calculate the integral.", StructuralSlot.MathMarkersLog) > 0f);
        Assert.Equal(0f, Slot("The weather is nice.", StructuralSlot.StepByStep));
    }

    [Fact]
    public void Extract_ConversationShape_Fires()
    {
        var prompt = new ChatPrompt(
        [
            new ChatTurn("system", "Be helpful."),
            new ChatTurn("user", "Hi"),
            new ChatTurn("assistant", "Hello!"),
            new ChatTurn("user", "And now?"),
        ]);
        Assert.Equal(1f, Slot(prompt, StructuralSlot.HasSystem));
        Assert.Equal(1f, Slot(prompt, StructuralSlot.HasHistory));
        Assert.Equal(1f, Slot(prompt, StructuralSlot.Turns3To4));
        Assert.Equal(1f, Slot(prompt, StructuralSlot.EndsWithUserTurn));
        Assert.True(Slot(prompt, StructuralSlot.AssistantTurnsLog) > 0f);
        Assert.Equal(0f, Slot("Hi", StructuralSlot.HasSystem));
        Assert.Equal(1f, Slot("Hi", StructuralSlot.Turns1));
    }

    [Fact]
    public void Extract_RequestShape_Fires()
    {
        var prompt = new ChatPrompt([new ChatTurn("user", "Hi")], toolCount: 3, responseFormatType: "json_schema", maxTokens: 2000);
        Assert.Equal(1f, Slot(prompt, StructuralSlot.HasTools));
        Assert.True(Slot(prompt, StructuralSlot.ToolsLog) > 0f);
        Assert.Equal(1f, Slot(prompt, StructuralSlot.ResponseFormatJsonSchema));
        Assert.Equal(1f, Slot(prompt, StructuralSlot.HasMaxTokens));
        Assert.Equal(1f, Slot(prompt, StructuralSlot.MaxTokensUpTo4K));
        Assert.Equal(0f, Slot("Hi", StructuralSlot.HasTools));
        Assert.Equal(0f, Slot("Hi", StructuralSlot.HasMaxTokens));
    }

    [Fact]
    public void Extract_Length_PicksOneBucket()
    {
        Assert.Equal(1f, Slot("short", StructuralSlot.LastUserLen64));
        Assert.Equal(1f, Slot(new string('a', 300), StructuralSlot.LastUserLen512));
        Assert.Equal(0f, Slot(new string('a', 300), StructuralSlot.LastUserLen64));
    }
}
