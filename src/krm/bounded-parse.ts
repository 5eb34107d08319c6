/**
 * The bounds one item's YAML must keep before it is turned into data (README, "Limits"): nesting depth and the
 * size its aliases expand to. Checked on the parsed Document, before any `toJS` or alias inlining, so a billion
 * laughs in a ConfigMap is refused in milliseconds instead of filling memory, and 100,000-deep nesting gives a
 * message instead of a stack overflow.
 */
import { type Document, isAlias, isMap, isPair, isSeq, type Node } from 'yaml';
import { currentLimits, environmentNames, type Limits } from './limits.js';

/** Below this, an item's aliases may always expand (a small item using a few anchors is never refused). */
const expansionFloor = 64 * 1024;

/** Size (in characters of scalar text, one per node) and collection nesting height of a node's expansion. */
interface Measure {
  size: number;
  height: number;
}

/**
 * Measures nodes of one Document with aliases expanded: iteratively (a 100,000-deep input cannot overflow the
 * stack), each anchored node measured once, stopping as soon as a bound is crossed. Nodes are visited in document
 * order, so an alias resolves to the latest anchor of its name before it, as YAML says. One check serves every
 * item of a ResourceList: an alias in one item may point into an earlier one.
 */
export class BoundsCheck {
  private readonly anchors = new Map<string, Node>();
  private readonly measured = new Map<Node, Measure>();
  private readonly limits: Limits;

  constructor(limits: Limits = currentLimits()) {
    this.limits = limits;
  }

  /** The problem with `node` (an item's root, `textLength` characters of input), or undefined when within bounds. */
  check(node: unknown, textLength: number): string | undefined {
    const budget = Math.max(expansionFloor, this.limits.aliasExpansion * textLength);
    const outcome = this.measure(node, budget);
    if (typeof outcome === 'string') return outcome;
    if (outcome.height > this.limits.maxDepth) return this.depthProblem();
    if (outcome.size > budget) return this.aliasProblem(budget);
    return undefined;
  }

  private depthProblem(): string {
    return `its collections nest deeper than ${this.limits.maxDepth} levels (${environmentNames.maxDepth})`;
  }

  private aliasProblem(budget: number): string {
    return `its aliases expand to more than ${budget} characters (${environmentNames.aliasExpansion}=${this.limits.aliasExpansion} times its text, at least 64 KiB)`;
  }

  /** Post-order walk with an explicit stack; a string when a bound is crossed on the way. */
  private measure(root: unknown, budget: number): Measure | string {
    // A pair is a frame too (its key and value are its children) but adds no nesting level.
    type Frame = {
      node: Node;
      children: unknown[];
      next: number;
      size: number;
      height: number;
      level: number;
    };
    const stack: Frame[] = [];
    const inProgress = new Set<Node>();
    let level = 0; // collections open on the stack
    // Adds a finished child's measure to its parent frame; a string when that crosses a bound.
    const add = (frame: Frame, child: Measure): string | undefined => {
      frame.size += child.size;
      frame.height = Math.max(frame.height, child.height + frame.level);
      if (frame.size > budget) return this.aliasProblem(budget);
      // An alias adds its target's height where it stands.
      if (level - frame.level + frame.height > this.limits.maxDepth) return this.depthProblem();
      return undefined;
    };
    // Starts a node: its measure when known at once, otherwise undefined with a frame pushed for its children.
    const enter = (value: unknown): Measure | string | undefined => {
      if (value === null || value === undefined) return { size: 0, height: 0 };
      if (isPair(value)) {
        stack.push({
          node: value as unknown as Node,
          children: [value.key, value.value],
          next: 0,
          size: 1,
          height: 0,
          level: 0,
        });
        return undefined;
      }
      if (isAlias(value)) {
        const target = this.anchors.get(value.source);
        if (!target) return { size: 1, height: 0 }; // an unknown alias: the parser reports it
        if (inProgress.has(target)) return 'an alias refers to a node that contains it';
        return this.measured.get(target) ?? { size: 1, height: 0 };
      }
      const node = value as Node;
      const known = this.measured.get(node);
      if (known) return known;
      if ('anchor' in node && typeof node.anchor === 'string' && node.anchor !== '')
        this.anchors.set(node.anchor, node);
      if (isMap(node) || isSeq(node)) {
        if (level >= this.limits.maxDepth) return this.depthProblem();
        level++;
        inProgress.add(node);
        stack.push({ node, children: node.items as unknown[], next: 0, size: 1, height: 1, level: 1 });
        return undefined;
      }
      const range = node.range;
      return { size: 1 + (range ? range[1] - range[0] : 0), height: 0 };
    };
    const first = enter(root);
    if (first !== undefined) return first;
    let last: Measure = { size: 0, height: 0 };
    while (stack.length > 0) {
      const frame = stack[stack.length - 1] as Frame;
      if (frame.next < frame.children.length) {
        const outcome = enter(frame.children[frame.next++]);
        if (typeof outcome === 'string') return outcome;
        const problem = outcome && add(frame, outcome);
        if (problem) return problem;
        continue;
      }
      stack.pop();
      last = { size: frame.size, height: frame.height };
      if (frame.level === 1) {
        level--;
        this.measured.set(frame.node, last);
        inProgress.delete(frame.node);
      }
      const parent = stack[stack.length - 1];
      const problem = parent && add(parent, last);
      if (problem) return problem;
    }
    return last;
  }
}

/**
 * The problem with a parsed item (its `textLength` characters of input), or undefined when it is within bounds:
 * too deep for the parser itself (it stops with a resource-exhaustion error rather than overflowing), deeper than
 * `MESHSCRAPE_MAX_DEPTH`, or aliases expanding past `MESHSCRAPE_ALIAS_EXPANSION` times its text.
 */
export function boundsProblem(document: Document, textLength: number): string | undefined {
  // The parser catches its own stack overflow and reports it so: the nesting was far too deep.
  if (document.errors.some((e) => e.code === 'RESOURCE_EXHAUSTION')) return exhaustedProblem();
  return new BoundsCheck().check(document.contents, textLength);
}

/** The problem for input the parser gave up on (a resource-exhaustion error: nesting too deep for its stack). */
export function exhaustedProblem(): string {
  const { maxDepth } = currentLimits();
  return `its collections nest deeper than ${maxDepth} levels (${environmentNames.maxDepth})`;
}
