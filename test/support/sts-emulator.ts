import { startAwsEmulator } from './aws-emulator.js';
import { freePort } from './free-port.js';

/**
 * The emulator's STS for the Worker tests, which check agents' account proofs against it. The
 * workers config reserves the port (it must name the endpoint in the Worker's bindings before
 * any test runs); this file, its globalSetup, serves the emulator's AWS listener there.
 */
const PORT_VARIABLE = 'DRIFTMGR_TEST_STS_PORT';

/** Picks the port and returns the endpoint the gateway is to call (its AWS_STS_ENDPOINT). */
export async function reserveStsEndpoint(): Promise<string> {
  process.env[PORT_VARIABLE] ??= String(await freePort());
  return `http://127.0.0.1:${process.env[PORT_VARIABLE]}`;
}

export default async function serveSts(): Promise<() => Promise<void>> {
  const emulator = await startAwsEmulator([], undefined, Number(process.env[PORT_VARIABLE]));
  return () => emulator.close();
}
