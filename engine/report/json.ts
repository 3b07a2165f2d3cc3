import type { DriftReport } from '../types.js';
import { jsonText } from './escape.js';

export function renderJson(report: DriftReport): string {
  return `${jsonText(report)}\n`;
}
