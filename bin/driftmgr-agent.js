#!/usr/bin/env node
// Runs the compiled agents/cli.ts from dist/ (see launch.js).
import { launch } from './launch.js';

// Bounded memory: a small young generation, and an old one allowed to grow to 1.5 times what is
// live after a full collection rather than V8's default of up to 4 times. Each page a cloud API
// returns is garbage once uploaded, so the default grows the heap to several times what the agent
// holds (npm run bench: agent_100k_shard).
await launch('driftmgr-agent', 'agents/cli', ['--max-semi-space-size=4', '--heap-growing-percent=50']);
