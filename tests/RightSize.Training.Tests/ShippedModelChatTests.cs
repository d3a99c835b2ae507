using RightSize.Classification.Onnx;
using RightSize.Features;
using RightSize.OpenAI.Chat;

namespace RightSize.Training.Tests;

/// <summary>
/// The shipped default model on hand-written chat prompts (not exam questions): greetings,
/// simple facts and short rewrites must look more "small-tier" than proofs, multi-step maths
/// and non-trivial code or design. Scored through ONNX Runtime, as the gateway does.
/// </summary>
public class ShippedModelChatTests
{
    private static readonly string[] Easy =
    [
        "Hello! How are you today?",
        "What is the capital of France?",
        "Thanks, that was really helpful.",
        "Translate 'good morning' into Spanish.",
        "Rewrite this more politely: send me the file now.",
        "What's a synonym for happy?",
        "Hi there, can you say hello to my class?",
        "Fix the grammar: me and him goes to school.",
        "How many days are in a week?",
        "Summarize in one line: the meeting moved to Tuesday at 3pm.",
    ];

    private static readonly string[] Hard =
    [
        "Prove that there are infinitely many twin primes, or explain rigorously why this is still open and what the strongest known results are.",
        "Prove that the square root of 2 is irrational, and then generalise the proof to the square root of any non-square integer.",
        "Solve the integral of x^2 e^x dx step by step, then verify the result by differentiation.",
        "A train leaves at 3pm at 60 km/h and another at 4pm at 90 km/h from the same station; derive when and where the second catches up, and prove your answer.",
        "Design a distributed, fault-tolerant rate limiter for a multi-region API gateway. Discuss the consistency trade-offs and implement the core algorithm in Rust.",
        "Write a Python function that parses arbitrary nested JSON with comments, explain its complexity, and debug why the following recursion overflows:\n```python\ndef walk(x):\n    return walk(x)\n```",
        "Derive the gradient of the softmax cross-entropy loss with respect to the logits and explain why it simplifies.",
        "Compute the eigenvalues of the matrix [[2, 1], [1, 3]] and prove that a symmetric real matrix has real eigenvalues.",
        "Implement a lock-free single-producer single-consumer ring buffer in C++ and justify the memory orderings you use.",
        "Analyze the time complexity of Dijkstra's algorithm with a binary heap versus a Fibonacci heap, and prove the bound.",
    ];

    [Fact]
    public void DefaultModel_EasyChatPrompts_ScoreHigherSmallProbabilityThanHardOnes()
    {
        var directory = Path.Combine(RepositoryRoot(), "models", "default");
        var extractor = FeatureExtractor.Default;
        using var session = SparseOnnxSession.Open(Path.Combine(directory, "model.onnx"), extractor.Schema.Dimension, "indices", "values", "p_good");
        var easy = Mean(session, extractor, Easy);
        var hard = Mean(session, extractor, Hard);
        Assert.True(easy.Small > hard.Small + 0.02, $"mean P(small): easy {easy.Small:F3} vs hard {hard.Small:F3}");
        Assert.True(easy.Mid > hard.Mid, $"mean P(mid): easy {easy.Mid:F3} vs hard {hard.Mid:F3}");
    }

    private static (double Small, double Mid) Mean(SparseOnnxSession session, FeatureExtractor extractor, string[] prompts)
    {
        var features = new SparseFeatures();
        var p = new float[2];
        double small = 0, mid = 0;
        foreach (var text in prompts)
        {
            extractor.Extract(ChatPrompt.FromUserText(text), features);
            session.Predict(features.IndicesSpan, features.ValuesSpan, p);
            small += p[0];
            mid += p[1];
        }

        return (small / prompts.Length, mid / prompts.Length);
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "RightSize.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("RightSize.sln not found above the test directory");
    }
}
