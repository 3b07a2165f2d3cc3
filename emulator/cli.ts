import { writeFile } from 'node:fs/promises';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { Provider } from '../contract/resource.js';
import { type FaultRates, resolveFaultRates } from './faults.js';
import { QUOTA_PROFILES, type QuotaProfile } from './quotas.js';
import type { RunningEmulator } from './server.js';

/** Exit code for a command line that cannot be run (unknown flag, bad value). */
const EXIT_USAGE = 2;
const EXIT_FAILURE = 1;

interface CliOptions {
  port: number;
  seed: number;
  resources: number;
  latencyMs: number;
  faultRate: number;
  throttleRate?: number;
  errorRate?: number;
  dropRate?: number;
  driftRate: number;
  stateDir?: string;
  writeState?: string;
  writeTruth?: string;
  sampleStates?: boolean;
  quotas?: QuotaProfile;
  only?: Provider;
  accounts?: number;
  regions?: string[];
}

function integerIn(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || n < min || n > max) {
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    }
    return n;
  };
}

function fraction(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) {
    throw new InvalidArgumentError('expected a number from 0 to 1');
  }
  return n;
}

const CLOUDS: readonly Provider[] = ['aws', 'azure', 'gcp'];

function regionList(value: string): string[] {
  const regions = value
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  if (regions.length === 0) throw new InvalidArgumentError('expected at least one region');
  return regions;
}

function buildProgram(): Command {
  return new Command('driftmgr-emulator')
    .description("Serves an emulated AWS, Azure and GCP estate over the clouds' own APIs")
    .option(
      '--port <P>',
      'AWS on P, Azure (https) on P+1, GCP on P+2, state backends on P+3; 0 = free ports',
      integerIn(0, 65532),
      0,
    )
    .option('--seed <S>', 'seed of the generated estate', integerIn(0, 2 ** 32 - 1), 1)
    .option('--resources <N>', 'about how many resources in the estate', integerIn(1, 10_000_000), 1000)
    .option('--latency-ms <L>', 'added latency per call', integerIn(0, 60_000), 0)
    .option('--fault-rate <F>', 'share of calls that fail (throttle, 5xx or dropped connection)', fraction, 0)
    .option('--throttle-rate <F>', 'share of calls throttled (instead of a third of --fault-rate)', fraction)
    .option('--error-rate <F>', 'share of calls failing with a 5xx (instead of a third of --fault-rate)', fraction)
    .option(
      '--drop-rate <F>',
      'share of calls whose connection is dropped (instead of a third of --fault-rate)',
      fraction,
    )
    .option('--state-dir <D>', 'where credentials and the CA certificate are written (default: a temp dir)')
    .option('--write-state <FILE>', 'write a Terraform state for the estate (with injected drift)')
    .option('--write-truth <FILE>', 'write the list of drift injected into that state')
    .option('--drift-rate <R>', 'share of state resources given drift', fraction, 0.1)
    .addOption(
      new Option('--quotas <cloud>', "enforce the cloud's request quotas per account, region and action").choices(
        QUOTA_PROFILES,
      ),
    )
    .addOption(new Option('--only <cloud>', 'serve one cloud alone, with all the resources').choices(CLOUDS))
    .option('--accounts <N>', 'with --only: how many accounts that cloud has', integerIn(1, 100))
    .option('--regions <list>', "with --only: that cloud's regions (comma-separated)", regionList)
    .option(
      '--sample-states',
      "serve the estate's Terraform state from S3, GCS, Blob Storage, Terraform Cloud and http on P+3",
    )
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
}

function parseOptions(argv: string[]): CliOptions {
  let opts: CliOptions;
  try {
    opts = buildProgram().parse(argv).opts<CliOptions>();
  } catch (err) {
    if (err instanceof CommanderError) process.exit(err.exitCode === 0 ? 0 : EXIT_USAGE);
    throw err;
  }
  try {
    resolveFaultRates(opts.faultRate, faultRatesOf(opts));
  } catch (err) {
    process.stderr.write(
      `driftmgr-emulator: --throttle-rate, --error-rate, --drop-rate: ${err instanceof Error ? err.message : String(err)}\n`,
    );
    process.exit(EXIT_USAGE);
  }
  if ((opts.accounts !== undefined || opts.regions !== undefined) && !opts.only) {
    process.stderr.write('driftmgr-emulator: --accounts and --regions need --only\n');
    process.exit(EXIT_USAGE);
  }
  return opts;
}

function faultRatesOf(opts: CliOptions): Partial<FaultRates> {
  return { throttle: opts.throttleRate, 'server-error': opts.errorRate, drop: opts.dropRate };
}

/** Writes the Terraform state and its ground truth; loaded lazily so serving never depends on it. */
async function writeTerraformFiles(emulator: RunningEmulator, opts: CliOptions): Promise<void> {
  if (!opts.writeState && !opts.writeTruth) return;
  const { buildTerraformState } = await import('./terraform-state.js');
  const { state, truth } = buildTerraformState(emulator.estate.resources, {
    seed: opts.seed,
    driftRate: opts.driftRate,
  });
  if (opts.writeState) await writeFile(opts.writeState, `${JSON.stringify(state, null, 2)}\n`);
  if (opts.writeTruth) await writeFile(opts.writeTruth, `${JSON.stringify(truth, null, 2)}\n`);
}

/** The one line a parent process reads to find the emulator. */
async function startupLine(emulator: RunningEmulator): Promise<string> {
  const { countByType } = await import('./estate.js');
  const providers = Object.keys(emulator.endpoints) as Provider[];
  return JSON.stringify({
    endpoints: emulator.endpoints,
    state_endpoint: emulator.stateEndpoint,
    accounts: emulator.accounts,
    regions: emulator.regions,
    resources: emulator.estate.resources.length,
    by_type: countByType(emulator.estate.resources),
    ca_cert_file: emulator.caCertFile,
    state_dir: emulator.stateDir,
    env: Object.fromEntries(providers.map((p) => [p, emulator.agentEnv(p, emulator.accounts[p][0])])),
    env_by_account: Object.fromEntries(
      providers.map((p) => [
        p,
        Object.fromEntries(emulator.accounts[p].map((account) => [account, emulator.agentEnv(p, account)])),
      ]),
    ),
  });
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv);
  // Loaded only after the flags are valid, so --help and usage errors answer at once.
  const { startEmulator } = await import('./server.js');
  let emulator: RunningEmulator;
  try {
    emulator = await startEmulator({
      port: opts.port,
      seed: opts.seed,
      resources: opts.resources,
      latencyMs: opts.latencyMs,
      faultRate: opts.faultRate,
      faultRates: faultRatesOf(opts),
      stateDir: opts.stateDir,
      sampleStates: opts.sampleStates,
      quotas: opts.quotas,
      only: opts.only,
      layout: { accounts: opts.accounts, regions: opts.regions },
    });
  } catch (err) {
    process.stderr.write(`driftmgr-emulator: cannot start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(EXIT_FAILURE);
  }
  const shutdown = async () => {
    await emulator.close();
    process.exit(0);
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  try {
    await writeTerraformFiles(emulator, opts);
  } catch (err) {
    process.stderr.write(
      `driftmgr-emulator: cannot write Terraform files: ${err instanceof Error ? err.message : String(err)}\n`,
    );
    await emulator.close();
    process.exit(EXIT_FAILURE);
  }
  process.stdout.write(`${await startupLine(emulator)}\n`);
}

await main();
