import { getNamedType, type GraphQLInputObjectType, isNonNullType } from 'graphql';
import type { HistoryCheckpoint, HistoryCheckpointInput } from '../generated/graphql';

/**
 * A kept checkpoint's file: the JSON of historyCheckpoint, read back into the
 * input verifyHistory takes. Its fields and their types come from the schema's
 * HistoryCheckpointInput, so the file follows the API's contract, not a copy
 * of it. Pure: the page passes the console's schema, the unit test its own.
 */

/** What each scalar of the input must be in the file, in words for the message. */
const SCALARS: Record<string, { holds: (v: unknown) => boolean; expected: string }> = {
  ID: { holds: (v) => typeof v === 'string' && v !== '', expected: 'a non-empty string' },
  String: { holds: (v) => typeof v === 'string' && v !== '', expected: 'a non-empty string' },
  Int: { holds: (v) => Number.isInteger(v) && (v as number) >= 0, expected: 'a whole number, 0 or more' },
  DateTimeISO: {
    holds: (v) => typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v) && !Number.isNaN(Date.parse(v)),
    expected: 'a time in ISO 8601, e.g. 2026-12-01T09:30:00.000Z',
  },
};

/** A file that is not a checkpoint: every problem found, each naming the field. */
export class CheckpointFileError extends Error {
  constructor(
    fileName: string,
    readonly problems: string[],
  ) {
    super(`${fileName} is not a checkpoint: ${problems.join('; ')}`);
  }
}

const shown = (v: unknown) => {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
};

/** The checkpoint in a kept file's text; a file that is not one throws a CheckpointFileError. */
export function readCheckpoint(text: string, fileName: string, type: GraphQLInputObjectType): HistoryCheckpointInput {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new CheckpointFileError(fileName, [`it is not JSON (${(e as Error).message})`]);
  }
  const fields = Object.values(type.getFields());
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new CheckpointFileError(fileName, [
      `it should be a JSON object with the fields ${fields.map((f) => f.name).join(', ')}`,
    ]);
  const file = raw as Record<string, unknown>;
  const problems: string[] = [];
  for (const field of fields) {
    const value = file[field.name];
    const rule = SCALARS[getNamedType(field.type).name];
    if (!rule) throw new Error(`HistoryCheckpointInput.${field.name}: no rule for its type in checkpoint-file.ts`);
    if (value === undefined || value === null) {
      if (isNonNullType(field.type)) problems.push(`the field "${field.name}" is missing`);
    } else if (!rule.holds(value)) problems.push(`"${field.name}" must be ${rule.expected} (it is ${shown(value)})`);
  }
  if (problems.length) throw new CheckpointFileError(fileName, problems);
  // Only the input's fields: a file with more (a note added by hand) still verifies.
  return Object.fromEntries(
    fields.filter((f) => file[f.name] != null).map((f) => [f.name, file[f.name]]),
  ) as HistoryCheckpointInput;
}

/**
 * The file a checkpoint is saved as: its workspace and index in the name, and
 * the same JSON the server writes for the CLI (core/history-checkpoint.ts).
 */
export function checkpointFile(workspaceSlug: string, checkpoint: HistoryCheckpoint): { name: string; text: string } {
  const { workspace, chainIndex, headHash, at, keyId, signature } = checkpoint;
  return {
    name: `checkpoint-${workspaceSlug}-${chainIndex}.json`,
    text: `${JSON.stringify({ workspace, chainIndex, headHash, at, keyId, signature }, null, 2)}\n`,
  };
}
