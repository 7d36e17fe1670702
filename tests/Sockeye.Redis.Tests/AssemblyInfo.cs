// The suites start Redis and several server processes each: one at a time keeps a 2-core machine responsive and the
// timeouts meaningful.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
