namespace RightSize.Features.Text;

/// <summary>Kinds of marker words counted as structural signals (beside their hashed n-grams).</summary>
internal enum MarkerCategory : byte
{
    None = 0,
    Reasoning = 1,
    Math = 2,
    Code = 3,
    Creative = 4,
    Simple = 5,
    StepByStep = 6,
    QuestionWord = 7,
}
