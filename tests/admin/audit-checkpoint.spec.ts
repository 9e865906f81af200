import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, type GraphQLInputObjectType } from 'graphql';
import { checkpointFile, CheckpointFileError, readCheckpoint } from '../../admin/src/audit/checkpoint-file';
import { checkpointJson, parseCheckpoint, signCheckpoint } from '../../api/src/core/history-checkpoint';
import { historyKeyring } from '../../api/src/core/history-keys';

// The auditor's checkpoint file in the console (admin/src/audit/checkpoint-file.ts), against the committed schema.
const schema = buildSchema(fs.readFileSync(path.resolve(__dirname, '../../schema.graphql'), 'utf8'));
const INPUT = schema.getType('HistoryCheckpointInput') as GraphQLInputObjectType;
const signed = signCheckpoint(historyKeyring('03'.repeat(32)), {
  workspace: '00000000-0000-4000-8000-00000000000a',
  chainIndex: 42,
  headHash: 'ab'.repeat(32),
  at: new Date('2026-12-01T09:30:00.123Z'),
});
// As the API returns it: `at` as ISO 8601 text, in the order the console selects the fields.
const returned = { ...signed, at: signed.at.toISOString() };

const problemsOf = (text: string) => {
  try {
    readCheckpoint(text, 'kept.json', INPUT);
  } catch (e) {
    expect(e).toBeInstanceOf(CheckpointFileError);
    return { message: (e as Error).message, problems: (e as CheckpointFileError).problems };
  }
  throw new Error('read as a checkpoint');
};

describe('a checkpoint file in the console', () => {
  it('is saved as the server writes it, named after the workspace and index, and read back unchanged', () => {
    const file = checkpointFile('demo', returned);
    expect(file.name).toBe('checkpoint-demo-42.json');
    expect(file.text).toBe(checkpointJson(signed));
    expect(parseCheckpoint(file.text)).toEqual(signed);
    expect(readCheckpoint(file.text, file.name, INPUT)).toEqual(returned);
  });

  it('keeps only the fields verifyHistory takes', () => {
    const text = JSON.stringify({ ...returned, note: 'kept in the audit binder', __typename: 'HistoryCheckpoint' });
    expect(readCheckpoint(text, 'kept.json', INPUT)).toEqual(returned);
  });

  it('that is not JSON, or not an object, is refused saying so', () => {
    expect(problemsOf('workspace: demo').message).toMatch(/^kept.json is not a checkpoint: it is not JSON \(.+\)$/);
    expect(problemsOf('[1, 2]').problems).toEqual([
      'it should be a JSON object with the fields at, chainIndex, headHash, keyId, signature, workspace',
    ]);
  });

  it('names every missing or mistyped field', () => {
    const { signature: _, ...unsigned } = returned;
    expect(problemsOf(JSON.stringify(unsigned)).problems).toEqual(['the field "signature" is missing']);
    const bad = { ...returned, chainIndex: '42', at: 'yesterday', headHash: '', workspace: null };
    expect(problemsOf(JSON.stringify(bad))).toEqual({
      message: expect.stringMatching(/^kept.json is not a checkpoint: /),
      problems: [
        '"at" must be a time in ISO 8601, e.g. 2026-12-01T09:30:00.000Z (it is "yesterday")',
        '"chainIndex" must be a whole number, 0 or more (it is "42")',
        '"headHash" must be a non-empty string (it is "")',
        'the field "workspace" is missing',
      ],
    });
    expect(problemsOf(JSON.stringify({ ...returned, chainIndex: -1 })).problems).toEqual([
      '"chainIndex" must be a whole number, 0 or more (it is -1)',
    ]);
  });
});
