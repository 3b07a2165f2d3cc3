import { setTimeout as sleep } from 'node:timers/promises';
import { type Command, Option } from 'commander';
import { z } from 'zod';
import { ImportJob } from '../../contract/imports.js';
import { ImportResult } from '../../contract/states.js';
import type { ApiClient } from '../api-client.js';
import { exitsWith, gatewayClient, integerIn } from '../command-kit.js';
import { CliError } from '../errors.js';
import { expandFileArgs } from '../files.js';
import { streamedStateForm } from '../multipart-upload.js';
import { plural, printTable } from '../output.js';

/** A small import is answered at once (201); a large one is kept and read in the background (202). */
const ImportAnswer = z.union([ImportJob, ImportResult]);
type ImportAnswerBody = z.infer<typeof ImportResult>;

/** Follows an import the gateway reads in the background until it ends; its answer, or its error thrown. */
async function awaitImport(client: ApiClient, job: ImportJob, pollMs: number): Promise<ImportAnswerBody> {
  const size = job.files.reduce((n, f) => n + f.bytes, 0);
  process.stderr.write(
    `import ${job.import_id}: ${plural(job.files.length, 'file')} (${(size / 1e6).toFixed(1)} MB) uploaded, being read\n`,
  );
  for (let current = job; ; ) {
    if (current.status === 'completed' && current.result) return current.result;
    if (current.status === 'failed') {
      const error = current.error;
      // A failure of the gateway itself is worth trying again (1); anything else is the input's (2).
      throw new CliError(error?.message ?? 'the import failed', error?.code === 'internal' ? 1 : 2);
    }
    await sleep(pollMs);
    current = await client.getJson(`/api/v1/imports/${job.import_id}`, ImportJob);
  }
}

function printReport(result: ImportAnswerBody): void {
  process.stderr.write(`imported ${plural(result.states.length, 'state')} into workspace ${result.workspace}\n`);
  printTable(
    ['WORKSPACE', 'NAME', 'VERSION', 'SERIAL', 'INSTANCES', 'DATA SOURCES SKIPPED'],
    result.states.map((s) => [s.workspace, s.name, s.version, s.serial, s.instances, s.data_sources_skipped]),
  );
  for (const s of result.states) {
    for (const warning of s.warnings) process.stderr.write(`warning: ${s.name}: ${warning}\n`);
    if (s.not_kept.length > 0)
      process.stderr.write(`${s.name}: ${plural(s.not_kept.length, 'instance')} not kept (see the API answer)\n`);
  }
}

interface ImportOptions {
  workspace: string;
  replace: boolean;
  pollInterval: number;
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description(
      'import Terraform state files (paths or globs) of any size, streamed from disk; a state replaces the one of the same name in the workspace when it is a newer serial of the same lineage',
    )
    .argument('<files...>', 'state files or globs, e.g. "states/**/*.tfstate"')
    .option('--workspace <name>', 'workspace the states belong to', 'default')
    .option('--replace', 'replace a state of the same name even of another lineage or an older serial', false)
    .addOption(
      new Option('--poll-interval <ms>', 'how often to ask about an import read in the background')
        .argParser(integerIn(100, 60_000))
        .default(1000)
        .hideHelp(),
    )
    .action(
      exitsWith(async (patterns: string[], opts: ImportOptions, command: Command) => {
        const client = gatewayClient(command);
        const files = await expandFileArgs(patterns);
        const answer = await client.postStream('/api/v1/import', ImportAnswer, await streamedStateForm(files), {
          workspace: opts.workspace,
          ...(opts.replace ? { replace: 'true' } : {}),
        });
        printReport('import_id' in answer ? await awaitImport(client, answer, opts.pollInterval) : answer);
        return 0;
      }),
    );
}
