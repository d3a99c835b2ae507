using RightSize.Classification.Onnx;
using RightSize.Features;

namespace RightSize.Classification.Tests.Onnx;

/// <summary>ONNX Runtime's telemetry is off by the time a model is loaded, unless the operator chose otherwise.</summary>
public sealed class OnnxRuntimeTelemetryTests
{
    [Fact]
    public void Load_AnyModel_NativeEnvironmentHasTelemetryOff()
    {
        var operatorChoice = Environment.GetEnvironmentVariable(OnnxRuntimeTelemetry.Variable);

        using var classifier = OnnxDifficultyClassifier.Load(DefaultModelTests.DefaultModelDirectory(), FeatureExtractor.Default);

        Assert.Equal(operatorChoice ?? "1", OnnxRuntimeTelemetry.NativeValue(OnnxRuntimeTelemetry.Variable));
    }

    [Fact]
    public void SetIfUnset_KeepsAValueAlreadyThere()
    {
        var name = "RIGHTSIZE_TEST_" + Guid.NewGuid().ToString("N");

        OnnxRuntimeTelemetry.SetIfUnset(name, "first");
        OnnxRuntimeTelemetry.SetIfUnset(name, "second");

        Assert.Equal("first", OnnxRuntimeTelemetry.NativeValue(name));
    }
}
