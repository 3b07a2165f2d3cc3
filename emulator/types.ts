import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DiscoveredResource, Provider } from '../contract/resource.js';

/** A seeded random source in [0, 1); the same seed always gives the same estate. */
export type Rng = () => number;

/** What one cloud's estate generator is asked for. */
export interface CloudEstateRequest {
  rng: Rng;
  /** About how many resources to make (the generator may round to keep dependants consistent). */
  count: number;
  accounts: string[];
  regions: string[];
}

/** Makes one cloud's share of the estate: exactly the resources an agent should discover. */
export type CloudEstateGenerator = (req: CloudEstateRequest) => DiscoveredResource[];

/** What a fault switch decided for one call. */
export type Fault = 'throttle' | 'server-error' | 'drop' | null;

/** Shared services the emulator gives each cloud's protocol handler. */
export interface EmulatorContext {
  /** Decides, from the configured fault rate, whether this call fails and how. */
  fault(): Fault;
  /** Takes a token from the named bucket; false means the caller is throttled. */
  takeToken(key: string, capacity: number, refillPerSecond: number): boolean;
  /** Resolves after the configured per-call latency. */
  delay(): Promise<void>;
  /** Counts a served call, for tests and the emulator's /stats. */
  record(provider: Provider, action: string): void;
}

/** One cloud's wire protocol over the estate: answers a request on that cloud's server. */
export type CloudHandler = (req: IncomingMessage, body: Buffer, res: ServerResponse) => Promise<void>;

export type CloudHandlerFactory = (resources: DiscoveredResource[], ctx: EmulatorContext) => CloudHandler;
