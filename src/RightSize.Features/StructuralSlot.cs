namespace RightSize.Features;

/// <summary>
/// The reserved, named feature indices below the hashed buckets. Values are scaled to roughly
/// [0, 1]: logs are divided by a constant, densities are shares of the scanned characters,
/// one-hot groups are 0 or 1. The numeric values are part of the schema.
/// </summary>
public enum StructuralSlot
{
    /// <summary>Always 1: lets a linear model learn a per-feature-space bias.</summary>
    Bias = 0,

    LastUserLogChars,
    LastUserLen64,
    LastUserLen128,
    LastUserLen256,
    LastUserLen512,
    LastUserLen1K,
    LastUserLen2K,
    LastUserLen4K,
    LastUserLen8K,
    LastUserLenHuge,
    LastUserLogWords,
    ConversationLogChars,

    TurnsLog,
    Turns1,
    Turns2,
    Turns3To4,
    Turns5Plus,
    UserTurnsLog,
    AssistantTurnsLog,
    HasToolTurns,
    HasHistory,
    EndsWithUserTurn,
    HasSystem,
    SystemLogChars,

    DigitShare,
    UpperShare,
    NonAsciiShare,
    PunctuationShare,
    LinesLog,
    NumbersLog,
    AvgWordLength,
    LongWordShare,

    MathSymbolShare,
    LatexCommandsLog,
    HasDollar,
    HasCodeFence,
    CodeFencesLog,
    InlineCodeLog,
    CodeCharShare,
    HasIndentedCode,

    ListItemsLog,
    HasOptions,
    ManyOptions,
    OptionCount,

    QuestionMarksLog,
    EndsWithQuestion,
    StartsWithQuestionWord,
    EndsWithAnswerCue,

    ReasoningMarkersLog,
    MathMarkersLog,
    CodeMarkersLog,
    CreativeMarkersLog,
    SimpleMarkersLog,
    StepByStep,
    HasUrl,

    HasTools,
    ToolsLog,
    ResponseFormatText,
    ResponseFormatJsonObject,
    ResponseFormatJsonSchema,
    ResponseFormatOther,
    HasMaxTokens,
    MaxTokensLog,
    MaxTokensUpTo256,
    MaxTokensUpTo1K,
    MaxTokensUpTo4K,
    MaxTokensOver4K,

    /// <summary>Not a slot: the number of named slots.</summary>
    Count,
}
