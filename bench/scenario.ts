import type { Bench } from './harness';
import type { Target } from './report';

/** What a scenario gets: the mode and the running bench (real handlers on DynamoDB Local). */
export interface ScenarioContext {
  readonly quick: boolean;
  readonly bench: Bench;
  /** A scratch directory for this run (bundles, server data), removed at the end. */
  readonly workDir: string;
}

/** What a scenario returns: its figures (stored under its name in latest.json), targets and notes. */
export interface ScenarioResult {
  readonly figures: unknown;
  /** Targets checked from the figures, merged into latest.json's `targets` (and the Markdown table). */
  readonly targets?: Record<string, Target>;
  readonly notes?: readonly string[];
  /** Extra Markdown for latest.md (a table of the figures). */
  readonly markdown?: string;
}

/**
 * A benchmark scenario beyond the per-operation table: add a file under bench/scenarios/ exporting
 * one, and list it in SCENARIOS in bench/run.ts. `npm run bench -- --only <name>` runs just it.
 */
export interface BenchScenario {
  /** Key in latest.json (e.g. `bundles`, `coldInitMs`). */
  readonly name: string;
  run(context: ScenarioContext): Promise<ScenarioResult>;
}
