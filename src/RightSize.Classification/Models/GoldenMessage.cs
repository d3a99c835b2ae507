using System.Text.Json.Serialization;

namespace RightSize.Classification.Models;

/// <summary>One message of a golden prompt: its role and its text.</summary>
public sealed record GoldenMessage(
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("content")] string Content);
