namespace RightSize.Cli.Tests;

/// <summary>Numbers that mean nothing to the trainer, and options it does not read: usage errors, all at once, before anything is read or written.</summary>
public sealed class TrainCommandTests : IDisposable
{
    private readonly CliSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Theory]
    [InlineData("--epochs", "0", "--epochs must be at least 1 (got 0).")]
    [InlineData("--epochs", "-3", "--epochs must be at least 1 (got -3).")]
    [InlineData("--ensemble", "0", "--ensemble must be at least 1 (got 0).")]
    [InlineData("--hidden-size", "0", "--hidden-size must be at least 1 (got 0); --logistic trains the model without a hidden layer.")]
    [InlineData("--hidden-size", "-2", "--hidden-size must be at least 1 (got -2); --logistic trains the model without a hidden layer.")]
    [InlineData("--learning-rate", "-1", "--learning-rate must be above 0 and at most 1 (got -1).")]
    [InlineData("--learning-rate", "0", "--learning-rate must be above 0 and at most 1 (got 0).")]
    [InlineData("--learning-rate", "NaN", "--learning-rate must be above 0 and at most 1 (got NaN).")]
    [InlineData("--learning-rate", "1e40", "--learning-rate must be above 0 and at most 1 (got Infinity).")]
    [InlineData("--learning-rate", "1e20", "--learning-rate must be above 0 and at most 1 (got 1E+20).")]
    [InlineData("--learning-rate", "1.5", "--learning-rate must be above 0 and at most 1 (got 1.5).")]
    [InlineData("--l2", "-0.1", "--l2 must be a finite number, 0 or more (got -0.1).")]
    [InlineData("--l2", "NaN", "--l2 must be a finite number, 0 or more (got NaN).")]
    [InlineData("--outcome-weight", "1.5", "--outcome-weight must be between 0 and 1 (got 1.5).")]
    [InlineData("--outcome-weight", "-0.5", "--outcome-weight must be between 0 and 1 (got -0.5).")]
    [InlineData("--outcome-weight", "NaN", "--outcome-weight must be between 0 and 1 (got NaN).")]
    [InlineData("--hidden-size", "100000", "--hidden-size × --ensemble must be at most 8154 (got 100000 × 1): the model's ONNX file would hold 65792 × (units + 2) float32 weights, more than the 2 GB an ONNX file can hold.")]
    public void Train_MeaninglessNumber_IsUsageErrorWithOneLine(string option, string value, string expected)
    {
        var model = _sandbox.PathOf("m");
        var (code, _, err) = CliSandbox.Run("train", "--data", _sandbox.Data("train.jsonl", 30), "--out", model, option, value);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal([expected], CliSandbox.UsageErrors(err));
        Assert.False(Directory.Exists(model), "nothing is written");
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    public void Train_MeaninglessRegularization_IsUsageErrorWithOneLine(string value)
    {
        var model = _sandbox.PathOf("m");
        var (code, _, err) = CliSandbox.Run("train", "--data", _sandbox.Data("train.jsonl", 30), "--out", model, "--logistic", "--regularization", value);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal([$"--regularization must be a finite number above 0 (got {value})."], CliSandbox.UsageErrors(err));
        Assert.False(Directory.Exists(model), "nothing is written");
    }

    [Theory]
    [InlineData("--epochs", "5")]
    [InlineData("--learning-rate", "0.1")]
    [InlineData("--l2", "0.001")]
    [InlineData("--hidden-size", "8")]
    [InlineData("--ensemble", "3")]
    public void Train_HiddenLayerOptionWithLogistic_IsUsageErrorNamingIt(string option, string value)
    {
        var model = _sandbox.PathOf("m");
        var (code, _, err) = CliSandbox.Run("train", "--data", _sandbox.Data("train.jsonl", 30), "--out", model, "--logistic", option, value);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal([$"Only the hidden-layer model reads {option}; --logistic trains the model without a hidden layer."], CliSandbox.UsageErrors(err));
        Assert.False(Directory.Exists(model), "nothing is written");
    }

    [Fact]
    public void Train_SeveralHiddenLayerOptionsWithLogistic_AllNamedInOneLine()
    {
        var (code, _, err) = CliSandbox.Run("train", "--data", _sandbox.Data("train.jsonl", 30), "--out", _sandbox.PathOf("m"), "--logistic", "--hidden-size", "3", "--epochs", "5", "--learning-rate", "0.1");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal(["Only the hidden-layer model reads --epochs, --learning-rate, --hidden-size; --logistic trains the model without a hidden layer."], CliSandbox.UsageErrors(err));
    }

    [Fact]
    public void Train_RegularizationWithoutLogistic_IsUsageError()
    {
        var model = _sandbox.PathOf("m");
        var (code, _, err) = CliSandbox.Run("train", "--data", _sandbox.Data("train.jsonl", 30), "--out", model, "--regularization", "5");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal(["Only the logistic model reads --regularization; add --logistic to train it."], CliSandbox.UsageErrors(err));
        Assert.False(Directory.Exists(model), "nothing is written");
    }

    [Fact]
    public void Train_SeveralMeaninglessNumbers_AllReportedAtOnce()
    {
        var (code, _, err) = CliSandbox.Run("train", "--data", _sandbox.Data("train.jsonl", 30), "--out", _sandbox.PathOf("m"), "--epochs", "0", "--l2", "-1");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal(["--epochs must be at least 1 (got 0).", "--l2 must be a finite number, 0 or more (got -1)."], CliSandbox.UsageErrors(err));
    }
}
