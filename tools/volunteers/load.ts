/**
 * Loads N synthetic volunteer applications into the volunteers service through its bulk path, with a progress bar and
 * rows/s, then spreads them over the pipeline's stages by SQL (what and why: tools/bench/volunteers-load.ts).
 *
 *   NX_DAEMON=false npx nx run volunteers:build --outputStyle=static
 *   npx tsx tools/volunteers/load.ts --spawn [--count 266000] [--seed 2024] [--keep]    (a fresh service from dist/)
 *   npx tsx tools/volunteers/load.ts [--url http://127.0.0.1:3005] --database-url postgres://127.0.0.1:5432/podium_volunteers --count 5000
 */
import { loadMain } from '../bench/volunteers-load';

loadMain().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
