import { type Command, Option } from 'commander';
import { AnalysisMode, type DriftReport, ReportFormat } from '../../contract/drift.js';
import { exitsWith } from '../command-kit.js';
import { renderDriftTable } from '../drift-table.js';
import { CliError } from '../errors.js';
import { expandFileArgs } from '../files.js';
import { runAnalyze } from '../offline-analyze.js';
import { printLine } from '../output.js';

type AnalyzeFormat = ReportFormat | 'table';

interface AnalyzeOptions {
  state: string[];
  inventory: string;
  format: AnalyzeFormat;
  driftignore?: string;
  mode: AnalysisMode;
}

function renderTableReport(report: DriftReport): string {
  const s = report.summary;
  const line = `${s.in_sync} in sync, ${s.changed} changed, ${s.missing} missing, ${s.unmanaged} unmanaged (coverage ${(s.coverage * 100).toFixed(1)}%)`;
  return report.items.length === 0 ? `${line}\nno drift` : `${line}\n${renderDriftTable(report.items)}`;
}

export function registerAnalyze(program: Command): void {
  program
    .command('analyze')
    .description(
      'offline: compare Terraform state files with an inventory file, no gateway; exit 0 in sync, 1 drift, 2 error',
    )
    .requiredOption('--state <files...>', 'Terraform state files or globs')
    .requiredOption(
      '--inventory <file>',
      'discovered resources: a JSON array, or {resources: [...]} as `driftmgr export` writes',
    )
    .addOption(
      new Option('--format <format>', 'output format').choices(['table', ...ReportFormat.options]).default('table'),
    )
    .option('--driftignore <file>', 'ignore rules in .driftignore syntax')
    .addOption(
      new Option('--mode <mode>', 'full shows noise differences too; smart drops them')
        .choices(AnalysisMode.options)
        .default('smart'),
    )
    .action(
      exitsWith(async (opts: AnalyzeOptions) => {
        const statePaths = await expandFileArgs(opts.state);
        const result = await runAnalyze({
          statePaths,
          inventoryPath: opts.inventory,
          format: opts.format === 'table' ? 'json' : opts.format,
          ignorePath: opts.driftignore,
          mode: opts.mode,
          hashSecret: process.env.DRIFTMGR_HASH_KEY || undefined,
        });
        if (result.exitCode === 2) throw new CliError(result.output.replace(/^error: /, '').trimEnd(), 2);
        if (opts.format === 'table') printLine(renderTableReport(JSON.parse(result.output) as DriftReport));
        else process.stdout.write(result.output);
        return result.exitCode;
      }),
    );
}
