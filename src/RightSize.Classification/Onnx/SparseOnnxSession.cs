using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace RightSize.Classification.Onnx;

/// <summary>
/// An ONNX Runtime session over a model that honours the sparse contract: int64[N] indices and
/// float32[N] values in, float32[2] probabilities out. One session per model, tuned for a tiny
/// graph (one intra-op thread, sequential execution, full graph optimisation), safe to call from
/// many threads at once. ONNX Runtime reads the caller's spans in place; each call borrows a pooled
/// output and argument arrays, so steady-state calls allocate only the two input
/// <see cref="OrtValue"/> wrappers.
/// </summary>
public sealed class SparseOnnxSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly SlotPool<OrtBuffers> _buffers;
    private readonly long _dimension;

    // Calls in flight, plus Disposed once Dispose has begun: the native session is released only
    // after the last call has left it (a call into a released session would crash the process).
    private const int Disposed = 1 << 30;
    private int _calls;

    static SparseOnnxSession() => OnnxRuntimeTelemetry.OptOut(); // before ONNX Runtime first runs

    private SparseOnnxSession(InferenceSession session, string indicesName, string valuesName, string outputName, int dimension)
    {
        _session = session;
        _inputNames = [indicesName, valuesName];
        _outputNames = [outputName];
        _dimension = dimension;
        _buffers = new SlotPool<OrtBuffers>(static () => new OrtBuffers(), Environment.ProcessorCount * 2);
    }

    /// <summary>The size of the index space; indices at or above it are rejected.</summary>
    public long Dimension => _dimension;

    /// <summary>Loads a model and checks that its inputs and output have the contract's names and types.</summary>
    /// <exception cref="ClassifierModelException">The file is missing, unreadable by ONNX Runtime, breaks the contract (names, element types, rank 1), or fails on a probe run.</exception>
    public static SparseOnnxSession Open(string modelPath, int dimension, string indicesName = "indices", string valuesName = "values", string outputName = "p_good")
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        if (!File.Exists(modelPath))
        {
            throw new ClassifierModelException($"The model file '{modelPath}' does not exist; train one with 'rightsize train --data FILE --out DIR' or point Classifier:ModelPath at a model directory.");
        }

        InferenceSession session;
        using (var options = CreateSessionOptions())
        {
            try
            {
                session = new InferenceSession(modelPath, options);
            }
            catch (OnnxRuntimeException ex)
            {
                throw new ClassifierModelException($"ONNX Runtime cannot load '{modelPath}' (corrupt or not an ONNX model): {ex.Message}", ex);
            }
        }

        SparseOnnxSession? opened = null;
        try
        {
            CheckContract(session, modelPath, indicesName, valuesName, outputName);
            opened = new SparseOnnxSession(session, indicesName, valuesName, outputName, dimension);
            opened.Probe(modelPath);
            return opened;
        }
        catch
        {
            if (opened is not null) opened.Dispose();
            else session.Dispose();
            throw;
        }
    }

    /// <summary>Computes [p_small, p_mid] for one sparse vector.</summary>
    public void Predict(ReadOnlySpan<long> indices, ReadOnlySpan<float> values, Span<float> probabilities)
    {
        if (indices.Length != values.Length) throw new ArgumentException("indices and values differ in length.", nameof(values));
        if (probabilities.Length < 2) throw new ArgumentException("Need room for two probabilities.", nameof(probabilities));

        if ((Interlocked.Increment(ref _calls) & Disposed) != 0)
        {
            Interlocked.Decrement(ref _calls);
            throw new ObjectDisposedException(nameof(SparseOnnxSession));
        }

        var buffers = _buffers.Rent();
        try
        {
            Run(buffers, indices, values);
            buffers.Output.CopyTo(probabilities);
        }
        finally
        {
            _buffers.Return(buffers);
            Interlocked.Decrement(ref _calls);
        }
    }

    /// <summary>
    /// Runs the session on the caller's own memory, pinned for the call: ONNX Runtime reads the
    /// inputs in place, so nothing is copied.
    /// </summary>
    private unsafe void Run(OrtBuffers buffers, ReadOnlySpan<long> indices, ReadOnlySpan<float> values)
    {
        if (indices.IsEmpty)
        {
            // An empty vector becomes one zero-valued entry: the same sum, and no zero-length tensor.
            indices = [0L];
            values = [0f];
        }
        else
        {
            var outside = indices.IndexOfAnyExceptInRange(0L, _dimension - 1);
            if (outside >= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), indices[outside], $"Feature index outside the model's dimension {_dimension}.");
            }
        }

        buffers.Shape[0] = indices.Length;
        fixed (long* indexData = indices)
        fixed (float* valueData = values)
        {
            using var indicesValue = OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, TensorElementType.Int64, buffers.Shape, (nint)indexData, (long)indices.Length * sizeof(long));
            using var valuesValue = OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, TensorElementType.Float, buffers.Shape, (nint)valueData, (long)values.Length * sizeof(float));
            buffers.Inputs[0] = indicesValue;
            buffers.Inputs[1] = valuesValue;
            try
            {
                _session.Run(_runOptions, _inputNames, buffers.Inputs, _outputNames, buffers.Outputs);
            }
            finally
            {
                buffers.Inputs[0] = null!;
                buffers.Inputs[1] = null!;
            }
        }
    }

    private static SessionOptions CreateSessionOptions() => new()
    {
        IntraOpNumThreads = 1,
        InterOpNumThreads = 1,
        ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
    };

    /// <summary>
    /// Runs the model on one-entry vectors at both ends of the index space, so that a graph whose
    /// metadata passes but which fails at run time (a wrong output shape, an operator that rejects
    /// the inputs, an embedding shorter than the manifest's dimension) is refused at load rather
    /// than on every request.
    /// </summary>
    private void Probe(string path)
    {
        Span<float> probabilities = stackalloc float[2];
        foreach (var index in (ReadOnlySpan<long>)[0L, _dimension - 1])
        {
            try
            {
                Predict([index], [0f], probabilities);
            }
            catch (OnnxRuntimeException ex)
            {
                throw new ClassifierModelException($"The model '{path}' fails when run on a one-entry feature vector at index {index} (the contract: indices below the manifest's dimension {_dimension}, output float32[2]): {ex.Message}", ex);
            }
        }
    }

    private static void CheckContract(InferenceSession session, string path, string indicesName, string valuesName, string outputName)
    {
        CheckTensor(session.InputMetadata, indicesName, TensorElementType.Int64, "input", path);
        CheckTensor(session.InputMetadata, valuesName, TensorElementType.Float, "input", path);
        CheckTensor(session.OutputMetadata, outputName, TensorElementType.Float, "output", path);
        if (session.InputMetadata.Count != 2)
        {
            throw new ClassifierModelException($"The model '{path}' has {session.InputMetadata.Count} inputs; the contract has exactly two, '{indicesName}' (int64[N]) and '{valuesName}' (float32[N]).");
        }
    }

    private static void CheckTensor(IReadOnlyDictionary<string, NodeMetadata> metadata, string name, TensorElementType type, string kind, string path)
    {
        if (metadata.TryGetValue(name, out var found) && found.IsTensor && found.ElementDataType == type && found.Dimensions.Length != 1)
        {
            throw new ClassifierModelException($"The model '{path}' has its {kind} '{name}' of rank {found.Dimensions.Length}; the contract's inputs and output are vectors (rank 1): 'indices' int64[N], 'values' float32[N], 'p_good' float32[2].");
        }

        if (!metadata.TryGetValue(name, out var node) || !node.IsTensor || node.ElementDataType != type)
        {
            throw new ClassifierModelException($"The model '{path}' has no {kind} tensor '{name}' of type {type}; the contract needs inputs 'indices' (int64[N]), 'values' (float32[N]) and output 'p_good' (float32[2]), or the names given in manifest.json.");
        }
    }

    /// <summary>Refuses new calls, waits for those in flight (each takes microseconds), then releases the native session.</summary>
    public void Dispose()
    {
        if ((Interlocked.Or(ref _calls, Disposed) & Disposed) != 0) return;
        var spin = default(SpinWait);
        while (Volatile.Read(ref _calls) != Disposed) spin.SpinOnce();
        _buffers.Dispose();
        _session.Dispose();
        _runOptions.Dispose();
    }
}
