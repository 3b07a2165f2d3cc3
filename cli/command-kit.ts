import { type Command, InvalidArgumentError } from 'commander';
import { ApiClient } from './api-client.js';
import { type GlobalOptions, resolveGatewayConfig } from './config.js';
import type { ExitCode } from './errors.js';

/** `a, b,c` → ['a', 'b', 'c'] for list flags. */
export function parseList(value: string): string[] {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) throw new InvalidArgumentError('expects a comma-separated list');
  return items;
}

export function integerIn(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`expects a whole number from ${min} to ${max}`);
    return n;
  };
}

/** A client for the gateway named by the program's --url/--token or the environment. */
export function gatewayClient(command: Command): ApiClient {
  return new ApiClient(resolveGatewayConfig(command.optsWithGlobals<GlobalOptions>()));
}

/** Wraps an action that decides the exit code (drift found, job failed) instead of throwing. */
export function exitsWith<A extends unknown[]>(
  action: (...args: A) => Promise<ExitCode>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    process.exitCode = await action(...args);
  };
}
