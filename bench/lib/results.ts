/**
 * The records the workers write and the orchestrator reads.
 * @module
 */
import type { PeerName } from '../peers/peer.js';
import type { Timing } from './timing.js';
import type { Group } from './workloads.js';

/** What one peer measured on one case. */
export interface CaseResult {
  /** Workload id (see workloads.ts). */
  id: string;
  /** Seconds per call (per step for training, per chain for the chain). */
  timing?: Timing;
  /** Why the case did not run or failed. */
  error?: string;
  /** Why this peer cannot run the case at all ("n/a: ..."): shown as n/a, not as a failure. */
  na?: string;
  /**
   * The cold figure: seconds per call over the first calls (steps) in the fresh process, the
   * very first included (up to 10; fewer when they pass the time cap), and how many were made.
   */
  cold?: { mean: number; calls: number };
  /** The correctness check made before timing: passed, and what was compared. */
  check?: { ok: boolean; detail: string };
  /** Training: the loss of the first step (initial weights). */
  firstLoss?: number;
  /** Training: the loss of the last timed step, on the same fixed batch. */
  lastLoss?: number;
  /** Training: steps taken in all (first, warm-up and timed). */
  steps?: number;
  /** The median of each fresh process (seconds per call), one per repeat. */
  repeatMedians?: number[];
  /** The cold mean of each fresh process (seconds per call), one per repeat. */
  repeatColds?: number[];
}

/** What one worker process (one peer, one group) reports. */
export interface WorkerResult {
  /** The peer. */
  peer: PeerName;
  /** Library and version. */
  version: string;
  /** The group of workloads run. */
  group: Group;
  /** One record per case. */
  cases: CaseResult[];
  /** Peak resident set size of the worker process, in MiB. */
  peakRssMiB: number;
  /** Why the group did not run for this peer (e.g. not supported), if it did not. */
  skipped?: string;
  /** Peer-specific remarks for the report. */
  note?: string;
}
