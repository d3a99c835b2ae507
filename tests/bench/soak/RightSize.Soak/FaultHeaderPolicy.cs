using System.ClientModel.Primitives;

namespace RightSize.Soak;

/// <summary>Adds an <c>x-simulator-fault</c> header to every request an OpenAI SDK client sends.</summary>
internal sealed class FaultHeaderPolicy(string fault) : PipelinePolicy
{
    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        message.Request.Headers.Set("x-simulator-fault", fault);
        ProcessNext(message, pipeline, currentIndex);
    }

    public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        message.Request.Headers.Set("x-simulator-fault", fault);
        return ProcessNextAsync(message, pipeline, currentIndex);
    }
}
