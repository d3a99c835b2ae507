using RightSize.OpenAI.Chat;

namespace RightSize.Training.Packaging;

/// <summary>Chat-shaped prompts that every golden file carries beside sampled data rows, so the check covers the request shapes the gateway sees.</summary>
internal static class GoldenPrompts
{
    public static IReadOnlyList<(string Id, ChatPrompt Prompt)> All { get; } =
    [
        ("chat/hello", ChatPrompt.FromUserText("Hello! How are you today?")),
        ("chat/capital", ChatPrompt.FromUserText("What is the capital of France?")),
        ("chat/proof", ChatPrompt.FromUserText("Prove that there are infinitely many primes, step by step, and explain why each step holds.")),
        ("chat/code", new ChatPrompt(
            [
                new ChatTurn("system", "You are a senior C# reviewer."),
                new ChatTurn("user", "Why does this deadlock?\n```csharp\nvar x = GetAsync().Result;\n```"),
            ],
            toolCount: 2,
            responseFormatType: "json_object",
            maxTokens: 800)),
        ("chat/multi-turn", new ChatPrompt(
            [
                new ChatTurn("user", "Summarize the plot of Hamlet."),
                new ChatTurn("assistant", "Prince Hamlet seeks revenge for his father's murder..."),
                new ChatTurn("user", "Now compare it with Macbeth in a table."),
            ])),
        ("chat/maths", ChatPrompt.FromUserText(@"Evaluate $\int_0^1 x^2 \, dx$ and show that the answer is 1/3.")),
        ("chat/unicode", ChatPrompt.FromUserText("日本語で自己紹介してください。🙂")),
        ("chat/empty", ChatPrompt.FromUserText(string.Empty)),
    ];
}
