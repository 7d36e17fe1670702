namespace Sockeye.LoadGenerator.Scenarios;

/// <summary>
/// How much a resource may grow over a soak: a share of where it started plus a fixed allowance. The share absorbs
/// growth that scales with the process (heap budgets, pool sizes); the allowance absorbs steps that do not (a new
/// GC region, a thread-pool thread, a few more sessions open at the moment of the sample), which matter most when the
/// start value is small.
/// </summary>
internal readonly record struct GrowthTolerance(double Percent, double Allowance)
{
    public double AllowedGrowth(double start) => (start * Percent / 100) + Allowance;
}
