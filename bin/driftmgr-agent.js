#!/usr/bin/env node
// Runs the compiled agents/cli.ts from dist/ (see launch.js).
import { launch } from './launch.js';

await launch('driftmgr-agent', 'agents/cli');
