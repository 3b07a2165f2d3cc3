import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import type { JobSpec } from '../contract/job.js';
import type { CoverageScope, DriftSummary, DuplicateFinding } from '../engine/index.js';
import {
  type AnalysisInput,
  type AnalysisPart,
  AnalysisParts,
  type AnalysisPlan,
} from '../orchestrator-do/analysis-parts.js';
import { JOB_SCHEMA } from '../orchestrator-do/job-schema.js';

/**
 * What the analysis benchmark runs the consumer's code with, in Node where its heap can be
 * measured: the real D1 (through wrangler's platform proxy) behind a proxy counting statements,
 * and the job coordinator's RPC surface for analysis over the coordinator's own AnalysisParts,
 * on node:sqlite, weighing every argument as the RPC would carry it.
 */

/**
 * Statements D1 ran and round trips made since the last reset, and the most heap found live
 * when one was sent: the consumer waits on D1 between its steps, so a full collection there
 * weighs what each step holds (set `sampleHeap` to take it).
 */
export class D1Count {
  statements = 0;
  roundTrips = 0;
  liveHeapPeak = 0;
  sampleHeap = false;
  reset(): void {
    this.statements = 0;
    this.roundTrips = 0;
    this.liveHeapPeak = 0;
  }
  sent(statements: number): void {
    this.statements += statements;
    this.roundTrips++;
    if (!this.sampleHeap) return;
    globalThis.gc?.();
    this.liveHeapPeak = Math.max(this.liveHeapPeak, process.memoryUsage().heapUsed);
  }
}

const STATEMENT_RUNS = new Set(['all', 'run', 'first', 'raw']);

/** The proxy's local connection closed under a request (a keep-alive race of the local plumbing, not of D1). */
const socketClosed = (err: unknown): boolean =>
  err instanceof Error && (err.cause as { code?: string } | undefined)?.code === 'UND_ERR_SOCKET';

/** A call sent again when the platform proxy's socket closed before it was answered. */
async function resent<T>(call: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (attempt >= attempts || !socketClosed(err)) throw err;
    }
  }
}

/** D1 as the binding, every statement counted: a batch counts each of its statements (D1's 1,000 a Worker invocation counts them so). */
export function countingD1(db: D1Database, count: D1Count): D1Database {
  const originals = new WeakMap<object, D1PreparedStatement>();
  const wrap = (stmt: D1PreparedStatement): D1PreparedStatement => {
    const wrapped = new Proxy(stmt, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target);
        if (prop === 'bind') return (...args: unknown[]) => wrap(target.bind(...args));
        if (typeof prop === 'string' && STATEMENT_RUNS.has(prop)) {
          return (...args: unknown[]) => {
            count.sent(1);
            return resent(() => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args));
          };
        }
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    originals.set(wrapped, stmt);
    return wrapped;
  };
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'prepare') return (query: string) => wrap(target.prepare(query));
      if (prop === 'batch') {
        return (stmts: D1PreparedStatement[]) => {
          count.sent(stmts.length);
          return resent(() => target.batch(stmts.map((s) => originals.get(s) ?? s)));
        };
      }
      if (prop === 'exec') {
        return (query: string) => {
          count.sent(1);
          return target.exec(query);
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** SqlStorage as the coordinator's capabilities use it (exec, then toArray or one), over node:sqlite. */
function sqlStorage(db: DatabaseSync): SqlStorage {
  return {
    exec(query: string, ...bindings: unknown[]) {
      const rows = db.prepare(query).all(...(bindings as SQLInputValue[]));
      return { toArray: () => rows, one: () => rows[0] };
    },
  } as unknown as SqlStorage;
}

/** The largest argument list and answer of any call so far, in bytes of JSON. */
export class RpcWeights {
  largestArguments = 0;
  largestAnswer = 0;
  weigh<T>(args: unknown[], answer: T): T {
    this.largestArguments = Math.max(this.largestArguments, Buffer.byteLength(JSON.stringify(args)));
    this.largestAnswer = Math.max(this.largestAnswer, Buffer.byteLength(JSON.stringify(answer)));
    return answer;
  }
}

/**
 * The analysis calls of one job's coordinator (orchestrator-do/job-coordinator.ts), kept in the
 * coordinator's own schema and AnalysisParts, answering as its RPC does.
 */
export class BenchCoordinator {
  private readonly sql: SqlStorage;
  private readonly parts: AnalysisParts;
  readonly weights = new RpcWeights();

  constructor(
    private readonly spec: JobSpec,
    private readonly startedAt: string,
    private readonly scopes: CoverageScope[],
  ) {
    const db = new DatabaseSync(':memory:');
    for (const m of JOB_SCHEMA.migrations) db.exec(m.sql);
    this.sql = sqlStorage(db);
    this.parts = new AnalysisParts(this.sql);
  }

  /** The account's analysis as the coordinator starts it: its plan part. */
  plan(account: string): void {
    this.parts.plan([account]);
  }

  /** The account as a release before parts analysed it: one data part of every slot, then its close. */
  wholeAccount(account: string): void {
    this.sql.exec(`INSERT INTO analysis_parts (account, part) VALUES (?, 0)`, account);
    this.sql.exec(`INSERT INTO analysis_parts (account, stage) VALUES (?, 'close')`, account);
  }

  async analysisInput(account: string, part?: number) {
    const found = this.parts.find(account, part)!;
    const value: AnalysisInput = {
      spec: this.spec,
      started_at: this.startedAt,
      scopes: this.scopes,
      part: found,
      context: this.parts.context(account),
    };
    return this.weights.weigh([account, part], { ok: true as const, value });
  }

  async recordAnalysisPlan(part: number, plan: AnalysisPlan, inline: boolean) {
    const ids = this.parts.recordPlan(part, plan, inline ? Date.now() : null);
    return this.weights.weigh([part, plan, inline], { ok: true as const, value: ids });
  }

  async recordAnalysisPart(part: number, summary: DriftSummary, duplicates: DuplicateFinding[]) {
    this.parts.record(part, summary, duplicates);
    return this.weights.weigh([part, summary, duplicates], { ok: true as const, value: null });
  }

  /** The parts whose messages would go out now, in order. */
  due(): AnalysisPart[] {
    return this.parts.due(Date.now()).map((p) => this.parts.find(p.account, p.id)!);
  }
}
