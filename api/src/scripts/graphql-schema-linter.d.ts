/** The parts of graphql-schema-linter 3 (no types of its own) that scripts/schema-lint.ts uses. */
declare module 'graphql-schema-linter/lib/configuration.js' {
  export class Configuration {
    constructor(schema: unknown, options: Record<string, unknown>);
    getRules(): unknown[];
    validate(): { type: string; field: string; message: string }[];
  }
}
declare module 'graphql-schema-linter/lib/validator.js' {
  export function validateSchemaDefinition(
    schema: unknown,
    rules: unknown[],
    configuration: unknown,
  ): { ruleName: string; message: string; locations?: { line: number; column: number }[] }[];
}
declare module 'graphql-schema-linter/lib/schema.js' {
  export class Schema {
    constructor(definition: string, sourceMap: unknown);
  }
}
declare module 'graphql-schema-linter/lib/source_map.js' {
  export class SourceMap {
    constructor(files: Record<string, string>);
  }
}
