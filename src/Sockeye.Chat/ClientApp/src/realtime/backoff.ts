export interface BackoffPolicy {
  /** The delay before the first retry, in milliseconds. */
  initialMs: number;
  /** The longest delay, in milliseconds. */
  maxMs: number;
  /** Each retry waits this many times longer than the one before, up to `maxMs`. */
  factor: number;
  /** How far a delay is spread around its nominal value: 0.5 gives 50% to 150%. */
  randomization: number;
}

export const defaultBackoff: BackoffPolicy = { initialMs: 1000, maxMs: 5000, factor: 2, randomization: 0.5 };

/**
 * The delay before retry number `attempt` (1 for the first retry). The randomization is applied before the cap, so
 * even at the cap delays spread over [max × (1 − r), max]: clients that lost the same server do not all come back in
 * the same instant.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy = defaultBackoff, random: () => number = Math.random): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 30));
  const nominal = Math.min(policy.maxMs, policy.initialMs * policy.factor ** exponent);
  const spread = 1 + policy.randomization * (2 * random() - 1);
  return Math.round(Math.min(policy.maxMs, nominal * spread));
}
