using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Text;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;

namespace RightSize.Soak;

/// <summary>
/// The kinds of request the soak sends, each checking its own answer against the contract
/// (DESIGN.md, docs/resilience.md). A request carrying an error-producing upstream fault is marked
/// <see cref="Outcome.Faulted"/>: only those may end in a 5xx or a stream error.
/// </summary>
internal sealed class Scenarios(HttpClient http, Uri gateway)
{
    private const string FaultHeader = "x-simulator-fault";

    private static readonly string[] Prompts =
    [
        "hi",
        "What is the capital of France?",
        "Translate 'good morning' into German.",
        "Prove that there are infinitely many primes, step by step, and then generalise the argument to primes of the form 4k+3.",
        "Write a Python function that parses an ISO 8601 duration and returns seconds. Include tests and handle weeks.",
        "Summarise the causes of the First World War in three sentences.",
        "Design a multi-region active-active database topology for a payments system; discuss consistency, failover and reconciliation.",
        "ünïcödé ✓ 你好 — what does this say?",
    ];

    // Faults that make an upstream fail; every attempt of the request carries the header, so escalation cannot hide it.
    private static readonly string[] ErrorFaults = ["status=503", "status=429", "status=500", "reset", "delay=1500", "status=502;retry-after=1"];

    private static readonly string[] BadBodies =
    [
        "{",
        "[]",
        "\"just a string\"",
        "{\"model\":\"auto\"}",
        "{\"model\":\"auto\",\"messages\":\"hello\"}",
        "{\"model\":5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
        "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stream\":\"yes\"}",
        "",
        "{\"model\":\"no-such-model\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
        "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"\\ud800\"}]}",
    ];

    private readonly ChatClient _sdkChat = new("auto", new ApiKeyCredential("sk-soak-client"), SdkOptions(gateway));
    private readonly ChatClient _sdkCutChat = new("auto", new ApiKeyCredential("sk-soak-client"), SdkOptions(gateway, "cut-after=3"));
    private readonly EmbeddingClient _sdkEmbeddings = new("auto", new ApiKeyCredential("sk-soak-client"), SdkOptions(gateway));

    public IReadOnlyList<(string Name, int Weight, Func<Random, Task<Outcome>> Run)> All =>
    [
        ("chat", 16, r => ChatAsync(r, stream: false, fault: null, tier: null, path: "/v1/chat/completions", model: "auto", route: "auto")),
        ("chat-stream", 12, r => ChatAsync(r, stream: true, fault: null, tier: null, path: "/v1/chat/completions", model: "auto", route: "auto")),
        ("sdk-chat", 8, SdkChatAsync),
        ("sdk-stream", 8, SdkStreamAsync),
        ("completions", 6, CompletionsAsync),
        ("sdk-stream-cut", 3, SdkStreamCutAsync),
        ("sdk-embeddings", 6, SdkEmbeddingsAsync),
        ("cancel-mid-stream", 4, CancelMidStreamAsync),
        ("bad-body", 6, BadBodyAsync),
        ("oversized-body", 2, OversizedAsync),
        ("tier-override", 6, TierOverrideAsync),
        ("dry-run", 4, DryRunAsync),
        ("models", 3, ModelsAsync),
        ("faulted", 10, FaultedAsync),
        ("passthrough", 4, r => ChatAsync(r, stream: r.Next(2) == 0, fault: null, tier: null, path: "/v1/chat/completions", model: "gpt-4.1", route: "(passthrough)", scenario: "passthrough")),
        ("support-route", 5, r => ChatAsync(r, stream: r.Next(2) == 0, fault: null, tier: null, path: r.Next(2) == 0 ? "/support/v1/chat/completions" : "/v1/chat/completions", model: "gpt-4o", route: "support", scenario: "support-route")),
    ];

    private static OpenAIClientOptions SdkOptions(Uri gateway, string? fault = null)
    {
        var options = new OpenAIClientOptions
        {
            Endpoint = new Uri(gateway, "v1"),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = TimeSpan.FromSeconds(60),
        };
        if (fault is not null) options.AddPolicy(new FaultHeaderPolicy(fault), PipelinePosition.PerCall);
        return options;
    }

    private static string ChatBody(Random random, string model, bool stream, bool? includeUsage = null, bool tools = false)
    {
        var prompt = Prompts[random.Next(Prompts.Length)];
        var sb = new StringBuilder();
        sb.Append("{\"model\":\"").Append(model).Append("\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"")
          .Append(prompt).Append("\"}]");
        if (stream) sb.Append(",\"stream\":true");
        if (includeUsage is { } usage) sb.Append(",\"stream_options\":{\"include_usage\":").Append(usage ? "true" : "false").Append('}');
        if (tools) sb.Append(",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"lookup\",\"parameters\":{\"type\":\"object\",\"properties\":{}}}}]");
        sb.Append(",\"temperature\":0.2,\"x_vendor\":{\"keep\":true}}");
        return sb.ToString();
    }

    private async Task<Outcome> ChatAsync(Random random, bool stream, string? fault, string? tier, string path, string model, string route, string scenario = "chat")
    {
        bool? includeUsage = stream && random.Next(3) == 0 ? random.Next(2) == 0 : null;
        var body = ChatBody(random, model, stream, includeUsage, tools: random.Next(8) == 0);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway, path.TrimStart('/')))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (fault is not null) request.Headers.TryAddWithoutValidation(FaultHeader, fault);
        if (tier is not null) request.Headers.TryAddWithoutValidation("x-rightsize-tier", tier);
        var name = scenario + (stream ? "-stream" : "");
        return await SendAsync(request, name, stream, includeUsage == true, fault is not null, route, cancel: false);
    }

    private async Task<Outcome> SendAsync(HttpRequestMessage request, string name, bool stream, bool askedUsage, bool faulted, string? route, bool cancel)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        var status = (int)response.StatusCode;
        var tier = response.Headers.TryGetValues("x-rightsize-tier", out var tiers) ? tiers.FirstOrDefault() : null;
        var reason = response.Headers.TryGetValues("x-rightsize-reason", out var reasons) ? reasons.FirstOrDefault() : null;
        var outcome = new Outcome(name, status) { Faulted = faulted, Recorded = route is not null, Route = route, Tier = tier, Reason = reason };
        if (status >= 400)
        {
            var text = await response.Content.ReadAsStringAsync(cts.Token);
            if (Wire.ErrorShapeProblem(text) is { } shape) return outcome with { Problem = $"{status} not OpenAI-shaped: {shape}" };
            if (status >= 500 && !faulted) return outcome with { Problem = $"unexplained {status}: {Wire.Truncate(text)}" };
            return outcome;
        }

        if (!stream)
        {
            var text = await response.Content.ReadAsStringAsync(cts.Token);
            return text.Contains("\"choices\"", StringComparison.Ordinal) || text.Contains("\"data\"", StringComparison.Ordinal) || text.Contains("\"tier\"", StringComparison.Ordinal)
                ? outcome
                : outcome with { Problem = "200 without choices: " + Wire.Truncate(text) };
        }

        await using var body = await response.Content.ReadAsStreamAsync(cts.Token);
        var (end, usage, _) = await Wire.ReadStreamAsync(body, cancel ? cts : null, cts.Token);
        outcome = outcome with { End = end };
        if (usage && !askedUsage) return outcome with { Problem = "usage chunk the client did not ask for" };
        return end switch
        {
            StreamEnd.Done or StreamEnd.ClientCancelled => outcome,
            StreamEnd.ErrorEvent when faulted => outcome,
            StreamEnd.ErrorEvent => outcome with { Problem = "stream error event without a fault" },
            _ => outcome with { Problem = "stream ended without [DONE] or an error event" },
        };
    }

    private async Task<Outcome> SdkChatAsync(Random random)
    {
        var outcome = new Outcome("sdk-chat", 200) { Recorded = true, Route = "auto" };
        try
        {
            ChatCompletion completion = await _sdkChat.CompleteChatAsync([new UserChatMessage(Prompts[random.Next(Prompts.Length)])]);
            return completion.Content.Count == 1 && completion.Usage is not null ? outcome : outcome with { Problem = "SDK answer without content or usage" };
        }
        catch (ClientResultException e)
        {
            return outcome with { Status = e.Status, Problem = $"SDK raised {e.Status}: {Wire.Truncate(e.Message)}" };
        }
    }

    private async Task<Outcome> SdkStreamAsync(Random random)
    {
        var outcome = new Outcome("sdk-stream", 200) { Recorded = true, Route = "auto", End = StreamEnd.Done };
        var text = new StringBuilder();
        try
        {
            await foreach (var update in _sdkChat.CompleteChatStreamingAsync([new UserChatMessage(Prompts[random.Next(Prompts.Length)])]))
            {
                foreach (var part in update.ContentUpdate) text.Append(part.Text);
            }

            return text.Length > 0 ? outcome : outcome with { Problem = "SDK stream without content" };
        }
        catch (ClientResultException e)
        {
            return outcome with { Status = e.Status, Problem = $"SDK stream raised {e.Status}: {Wire.Truncate(e.Message)}" };
        }
    }

    // The upstream cuts the stream after 3 events: the SDK must raise, never take the stream for complete.
    private async Task<Outcome> SdkStreamCutAsync(Random random)
    {
        var outcome = new Outcome("sdk-stream-cut", 200) { Faulted = true, Recorded = true, Route = "auto", End = StreamEnd.ErrorEvent };
        try
        {
            await foreach (var update in _sdkCutChat.CompleteChatStreamingAsync([new UserChatMessage(Prompts[random.Next(Prompts.Length)])]))
            {
                _ = update.ContentUpdate.Count;
            }

            return outcome with { End = StreamEnd.Done, Problem = "SDK stream cut upstream ended without an error" };
        }
        catch (Exception e) when (e is IOException or HttpRequestException or ClientResultException)
        {
            return outcome;
        }
    }

    private async Task<Outcome> SdkEmbeddingsAsync(Random random)
    {
        var outcome = new Outcome("sdk-embeddings", 200) { Recorded = true, Route = "auto" };
        try
        {
            OpenAIEmbedding embedding = await _sdkEmbeddings.GenerateEmbeddingAsync(Prompts[random.Next(Prompts.Length)]);
            return embedding.ToFloats().Length > 0 ? outcome : outcome with { Problem = "empty embedding" };
        }
        catch (ClientResultException e)
        {
            return outcome with { Status = e.Status, Problem = $"SDK embeddings raised {e.Status}: {Wire.Truncate(e.Message)}" };
        }
    }

    private async Task<Outcome> CompletionsAsync(Random random)
    {
        var stream = random.Next(2) == 0;
        var body = $"{{\"model\":\"auto\",\"prompt\":\"{Prompts[random.Next(Prompts.Length)]}\",\"max_tokens\":32{(stream ? ",\"stream\":true" : "")}}}";
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway, "v1/completions")) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        return await SendAsync(request, stream ? "completions-stream" : "completions", stream, askedUsage: false, faulted: false, route: "auto", cancel: false);
    }

    private async Task<Outcome> CancelMidStreamAsync(Random random)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway, "v1/chat/completions"))
        {
            Content = new StringContent(ChatBody(random, "auto", stream: true), Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation(FaultHeader, "drip=100");
        return await SendAsync(request, "cancel-mid-stream", stream: true, askedUsage: false, faulted: false, route: "auto", cancel: true);
    }

    private async Task<Outcome> BadBodyAsync(Random random)
    {
        var pick = random.Next(BadBodies.Length + 1);
        byte[] bytes = pick == BadBodies.Length ? [0xC3, 0x28, 0xFF] : Encoding.UTF8.GetBytes(BadBodies[pick]);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway, "v1/chat/completions")) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new("application/json");
        var outcome = await SendAsync(request, "bad-body", stream: false, askedUsage: false, faulted: false, route: null, cancel: false);
        return outcome.Status is >= 400 and < 500 || outcome.Problem is not null ? outcome : outcome with { Problem = $"bad body answered {outcome.Status}" };
    }

    private async Task<Outcome> OversizedAsync(Random random)
    {
        var filler = new string('a', 5 * 1024 * 1024);
        var body = $"{{\"model\":\"auto\",\"messages\":[{{\"role\":\"user\",\"content\":\"{filler}\"}}]}}";
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway, "v1/chat/completions")) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        var outcome = await SendAsync(request, "oversized-body", stream: false, askedUsage: false, faulted: false, route: null, cancel: false);
        return outcome.Status == (int)HttpStatusCode.RequestEntityTooLarge || outcome.Problem is not null ? outcome : outcome with { Problem = $"oversized body answered {outcome.Status}" };
    }

    private async Task<Outcome> TierOverrideAsync(Random random)
    {
        string[] tiers = ["small", "mid", "frontier", "MID", "bogus"];
        var tier = tiers[random.Next(tiers.Length)];
        var outcome = await ChatAsync(random, stream: random.Next(2) == 0, fault: null, tier: tier, path: "/v1/chat/completions", model: "auto", route: "auto", scenario: "tier-override");
        if (outcome.Problem is not null) return outcome;
        if (tier == "bogus") return outcome.Status == 400 ? outcome : outcome with { Problem = $"invalid x-rightsize-tier answered {outcome.Status}" };
        // An override is a starting tier: an upstream outage may still move the request up (reason fallback:...).
        var escalated = outcome.Reason?.StartsWith("fallback:", StringComparison.Ordinal) == true;
        return outcome.Status == 200 && !escalated && !string.Equals(outcome.Tier, tier, StringComparison.OrdinalIgnoreCase)
            ? outcome with { Problem = $"override {tier} served by {outcome.Tier}" }
            : outcome;
    }

    private async Task<Outcome> DryRunAsync(Random random)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway, "rightsize/route"))
        {
            Content = new StringContent(ChatBody(random, "auto", stream: false), Encoding.UTF8, "application/json"),
        };
        var outcome = await SendAsync(request, "dry-run", stream: false, askedUsage: false, faulted: false, route: null, cancel: false);
        return outcome.Status == 200 || outcome.Problem is not null ? outcome : outcome with { Problem = $"dry run answered {outcome.Status}" };
    }

    private async Task<Outcome> ModelsAsync(Random random)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await http.GetAsync(new Uri(gateway, "v1/models"), cts.Token);
        var text = await response.Content.ReadAsStringAsync(cts.Token);
        var outcome = new Outcome("models", (int)response.StatusCode);
        return response.StatusCode == HttpStatusCode.OK && text.Contains("\"id\":\"auto\"", StringComparison.Ordinal)
            ? outcome
            : outcome with { Problem = $"/v1/models answered {(int)response.StatusCode}: {Wire.Truncate(text)}" };
    }

    private async Task<Outcome> FaultedAsync(Random random)
    {
        var stream = random.Next(2) == 0;
        var fault = stream && random.Next(3) == 0 ? "cut-after=2" : ErrorFaults[random.Next(ErrorFaults.Length)];
        if (!stream && random.Next(6) == 0) fault = "cut-after=1";
        return await ChatAsync(random, stream, fault, tier: null, path: "/v1/chat/completions", model: "auto", route: "auto", scenario: "faulted");
    }
}
