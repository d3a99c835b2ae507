using BenchmarkDotNet.Running;
using RightSize.Benchmarks;

if (args is ["compare-models", .. var models]) return ModelComparison.Run(models);

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
