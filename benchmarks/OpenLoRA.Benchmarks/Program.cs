using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(OpenLoRA.Benchmarks.DecodeThroughputBenchmarks).Assembly).Run(args);
