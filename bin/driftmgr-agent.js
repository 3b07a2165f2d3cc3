#!/usr/bin/env node
// Runs the TypeScript entry point through tsx so the bin works straight from a clone.
import { register } from 'tsx/esm/api';

register();
await import('../agents/cli.ts');
