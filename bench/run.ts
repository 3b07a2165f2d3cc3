import { benchLeaseRoundTrip } from './lease-roundtrip.js';

/** `npm run bench`: every benchmark, one JSON document on stdout. */
const figures: Record<string, unknown> = {
  machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
};
figures.control_plane = await benchLeaseRoundTrip();
console.log(JSON.stringify(figures, null, 2));
