/**
 * Edge-value samples and closed-form gradients, kept next to each other per family and attached
 * to the entries of the same name (see {@link withEdges}).
 * @module
 */
import type { AnyOpInfo, OpInfo } from '../types.js';
import { elementwiseEdges } from './edges-elementwise.js';
import { reduceEdges } from './edges-reduce.js';

/** What an entry gets from the edge tables. @internal */

export type EdgeSpec = Pick<OpInfo<any>, 'edgeSample' | 'gradReference'>;

const EDGES: Record<string, EdgeSpec> = { ...elementwiseEdges, ...reduceEdges };

/** The entries with their edge samples and closed-form gradients attached; throws on a name without an entry. @internal */
export function withEdges(entries: AnyOpInfo[]): AnyOpInfo[] {
  const names = new Set(entries.map((e) => e.name));
  const unknown = Object.keys(EDGES).filter((n) => !names.has(n));
  if (unknown.length) throw new Error(`edge tables name ops without an entry: ${unknown.join(', ')}`);
  return entries.map((e) => (EDGES[e.name] ? { ...e, ...EDGES[e.name] } : e));
}
