#!/usr/bin/env node
// Runs the compiled emulator/cli.ts from dist/ (see launch.js).
import { launch } from './launch.js';

await launch('driftmgr-emulator', 'emulator/cli');
