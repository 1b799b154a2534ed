// One lab at a time: the tests share the machine's two cores and measure latency and throughput.
// (xunit v3's successor of CollectionBehavior(DisableTestParallelization = true), which is obsolete in 4.x.)
[assembly: Xunit.v3.Parallelization(Mode = Xunit.Sdk.ParallelMode.None)]
