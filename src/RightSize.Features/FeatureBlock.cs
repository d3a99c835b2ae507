namespace RightSize.Features;

/// <summary>The hashed feature blocks. Each has its own seed, so one word in two blocks lands in two buckets.</summary>
public enum FeatureBlock
{
    /// <summary>Word 1- and 2-grams of the last user message.</summary>
    LastUserWords = 0,

    /// <summary>Character n-grams of the last user message.</summary>
    LastUserChars = 1,

    /// <summary>Word 1- and 2-grams of the system (and developer) messages.</summary>
    SystemWords = 2,

    /// <summary>Word 1-grams of the earlier turns (user, assistant, tool).</summary>
    HistoryWords = 3,
}
