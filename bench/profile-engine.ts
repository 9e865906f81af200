import 'reflect-metadata';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { handWrittenMlInference } from './ml-inference.hand';
import { mlAccounts, mlModel } from './peers';

/**
 * `node dist/bench/profile-engine.js [seconds]` (after `npm run build`): the V8 CPU profile (what `node --cpu-prof`
 * records) of the engine scoring ml-inference's accounts, `score()` alone then with every list read, and the top
 * items by self time, to find the cost before changing the engine (issue 18).
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

/** The functions with the most self time, as "share  name (file:line)". */
export function topItems(profile: { nodes: ProfileNode[] }, n: number): string[] {
  const self = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    // Without a file: V8's own entries ("(program)", "(garbage collector)"), or code built with `new Function`.
    const key = url
      ? `${functionName || '(anonymous)'} (${path.basename(url)}:${lineNumber + 1})`
      : functionName.startsWith('(') && functionName !== '(anonymous)'
        ? functionName
        : `${functionName || '(anonymous)'} (generated code, new Function)`;
    self.set(key, (self.get(key) ?? 0) + (node.hitCount ?? 0));
    total += node.hitCount ?? 0;
  }
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([key, hits]) => `${((100 * hits) / total).toFixed(1).padStart(5)}%  ${key}`);
}

async function profile(seconds: number, loop: () => void): Promise<string[]> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) loop();
  const { profile: p } = await session.post('Profiler.stop');
  session.disconnect();
  return topItems(p, 12);
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 5);
  const { model, snapshot } = await mlModel();
  const hand = handWrittenMlInference(snapshot);
  const accounts = mlAccounts(100_000);
  let sink = 0;
  const runs: [string, () => void][] = [
    ['engine score()', () => accounts.forEach((a) => (sink += model.score(a).score))],
    [
      'engine, every list read',
      () =>
        accounts.forEach((a) => {
          const s = model.score(a);
          sink += s.dimensions.length + s.disqualifiers.length + s.triggers.length + s.explanation.length;
        }),
    ],
    ['hand-written score()', () => accounts.forEach((a) => (sink += hand(a).score))],
  ];
  for (const [name, loop] of runs) {
    loop(); // warm
    console.log(`## ${name}, ${seconds} s`);
    for (const line of await profile(seconds, loop)) console.log(line);
  }
  if (sink === -1) console.log('');
}

if (require.main === module)
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
