import fs from 'node:fs';
import path from 'node:path';
import { buildSchema } from 'graphql';
import { CriticalityLevel, diff } from '@graphql-inspector/core';
import { PROJECT_ROOT } from '../paths';

/**
 * The breaking-change gate (run by .ci/run before the tests): the schema the
 * code builds, as committed in schema.graphql (a test keeps the two equal),
 * against the last released contract, schema/released.graphql. A change
 * graphql-inspector rates BREAKING fails unless schema/breaking-changes.json
 * lists it with a reason. The policy (deprecate first, keep two minor
 * versions, then remove with an entry here) is in README, "GraphQL API".
 */
export const RELEASED_FILE = path.join(PROJECT_ROOT, 'schema/released.graphql');
export const CURRENT_FILE = path.join(PROJECT_ROOT, 'schema.graphql');
export const ALLOWED_FILE = path.join(PROJECT_ROOT, 'schema/breaking-changes.json');

/** One breaking change a release accepts: graphql-inspector's change type and path, and why. */
export interface AllowedChange {
  type: string;
  path: string;
  reason: string;
}

export interface BreakingChange {
  type: string;
  path: string;
  message: string;
}

export interface SchemaDiff {
  /** Breaking changes not in the allow-list: the gate fails on any. */
  unlisted: BreakingChange[];
  /** Allowed breaking changes. */
  listed: BreakingChange[];
  /** Allow-list entries that match no change (left over after a release, or mistyped). */
  stale: AllowedChange[];
  /** Allow-list entries without a reason. */
  unexplained: AllowedChange[];
}

/** The breaking changes from `released` to `current` (two SDL texts), sorted out against the allow-list. */
export async function schemaDiff(released: string, current: string, allowed: AllowedChange[]): Promise<SchemaDiff> {
  const changes = await diff(buildSchema(released), buildSchema(current));
  const breaking = changes
    .filter((c) => c.criticality.level === CriticalityLevel.Breaking)
    .map((c) => ({ type: c.type, path: c.path ?? '', message: c.message }));
  const matches = (a: AllowedChange, c: BreakingChange) => a.type === c.type && a.path === c.path;
  return {
    unlisted: breaking.filter((c) => !allowed.some((a) => matches(a, c))),
    listed: breaking.filter((c) => allowed.some((a) => matches(a, c))),
    stale: allowed.filter((a) => !breaking.some((c) => matches(a, c))),
    unexplained: allowed.filter((a) => typeof a.reason !== 'string' || a.reason.trim().length < 10),
  };
}

/** The report CI prints; empty when the gate passes. */
export function problemsOf(d: SchemaDiff): string[] {
  return [
    ...d.unlisted.map(
      (c) =>
        `BREAKING ${c.type} at ${c.path}: ${c.message}. Deprecate instead (@deprecated, README "GraphQL API"), or list ` +
        `{ "type": "${c.type}", "path": "${c.path}", "reason": "…" } in schema/breaking-changes.json`,
    ),
    ...d.unexplained.map((a) => `schema/breaking-changes.json: ${a.type} at ${a.path} needs a reason`),
    ...d.stale.map((a) => `schema/breaking-changes.json: ${a.type} at ${a.path} matches no change; remove it`),
  ];
}

export const readAllowed = (file = ALLOWED_FILE): AllowedChange[] =>
  JSON.parse(fs.readFileSync(file, 'utf8')) as AllowedChange[];

if (require.main === module) {
  const release = process.argv.includes('--release');
  if (release) {
    // A release: the current schema becomes the contract, and the accepted breaks are spent.
    fs.copyFileSync(CURRENT_FILE, RELEASED_FILE);
    fs.writeFileSync(ALLOWED_FILE, '[]\n');
    console.log(`released: ${path.relative(PROJECT_ROOT, RELEASED_FILE)} is now schema.graphql`);
  } else {
    void schemaDiff(fs.readFileSync(RELEASED_FILE, 'utf8'), fs.readFileSync(CURRENT_FILE, 'utf8'), readAllowed()).then(
      (d) => {
        const problems = problemsOf(d);
        for (const p of problems) console.error(p);
        console.log(
          `schema contract: ${d.unlisted.length} unlisted and ${d.listed.length} allowed breaking changes against schema/released.graphql`,
        );
        process.exitCode = problems.length ? 1 : 0;
      },
    );
  }
}
