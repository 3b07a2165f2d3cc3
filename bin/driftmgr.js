#!/usr/bin/env node
// Runs the compiled cli/main.ts from dist/ (see launch.js).
import { launch } from './launch.js';

await launch('driftmgr', 'cli/main');
