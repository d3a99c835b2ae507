namespace RightSize.Upstream.Simulator.Protocol;

internal enum SimulatorOperation
{
    ChatCompletions,
    Completions,
    Embeddings,
    ListModels,
    GetModel,
    NotFound,
}
