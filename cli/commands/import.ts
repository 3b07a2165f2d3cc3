import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { ImportResult } from '../../contract/states.js';
import { exitsWith, gatewayClient } from '../command-kit.js';
import { expandFileArgs } from '../files.js';
import { plural, printTable } from '../output.js';

/** Every file as a `file` field named by its base name, which is the state's name in the workspace. */
async function stateForm(files: readonly string[]): Promise<FormData> {
  const form = new FormData();
  for (const file of files) form.append('file', await openAsBlob(file), basename(file));
  return form;
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description(
      'import Terraform state files (paths or globs); a state replaces the one of the same name in the workspace',
    )
    .argument('<files...>', 'state files or globs, e.g. "states/**/*.tfstate"')
    .option('--workspace <name>', 'workspace the states belong to', 'default')
    .action(
      exitsWith(async (patterns: string[], opts: { workspace: string }, command: Command) => {
        const client = gatewayClient(command);
        const files = await expandFileArgs(patterns);
        const result = await client.postForm('/api/v1/import', ImportResult, await stateForm(files), {
          workspace: opts.workspace,
        });
        process.stderr.write(`imported ${plural(result.states.length, 'state')} into workspace ${result.workspace}\n`);
        printTable(
          ['WORKSPACE', 'NAME', 'VERSION', 'SERIAL', 'INSTANCES', 'DATA SOURCES SKIPPED'],
          result.states.map((s) => [s.workspace, s.name, s.version, s.serial, s.instances, s.data_sources_skipped]),
        );
        return 0;
      }),
    );
}
