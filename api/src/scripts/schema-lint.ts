import fs from 'node:fs';
import path from 'node:path';
import { Configuration } from 'graphql-schema-linter/lib/configuration.js';
import { Schema } from 'graphql-schema-linter/lib/schema.js';
import { SourceMap } from 'graphql-schema-linter/lib/source_map.js';
import { validateSchemaDefinition } from 'graphql-schema-linter/lib/validator.js';
import { PROJECT_ROOT } from '../paths';

/**
 * graphql-schema-linter over a schema's SDL with the committed rule set
 * (schema/lint.config.json): every type, field, argument, input field and
 * enum value described, names in the usual cases, deprecations with a
 * reason. Run by a test on the schema the code emits (tests/gates).
 */
export const LINT_CONFIG_FILE = path.join(PROJECT_ROOT, 'schema/lint.config.json');

export interface LintConfig {
  rules: string[];
  rulesOptions?: Record<string, unknown>;
  /** Per rule, schema members it skips. */
  ignore?: Record<string, string[]>;
}

export const readLintConfig = (file = LINT_CONFIG_FILE): LintConfig =>
  JSON.parse(fs.readFileSync(file, 'utf8')) as LintConfig;

/** Every finding, as `line:column rule: message`; none when the schema is clean. */
export function lintSchema(sdl: string, config: LintConfig = readLintConfig()): string[] {
  const schema = new Schema(sdl, new SourceMap({ 'schema.graphql': sdl }));
  const configuration = new Configuration(schema, {
    rules: config.rules,
    rulesOptions: config.rulesOptions,
    ignore: config.ignore ?? {},
    format: 'json',
  });
  const invalid = configuration.validate().filter((i) => i.type === 'error');
  if (invalid.length) throw new Error(`lint configuration: ${invalid.map((i) => i.message).join('; ')}`);
  return validateSchemaDefinition(schema, configuration.getRules(), configuration).map((e) => {
    const at = e.locations?.[0];
    return `${at ? `${at.line}:${at.column} ` : ''}${e.ruleName}: ${e.message}`;
  });
}
