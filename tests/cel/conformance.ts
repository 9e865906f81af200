import { getConformanceSuite } from '@bufbuild/cel-spec/testdata/tests.js';
import type { SimpleTest } from '@bufbuild/cel-spec/cel/expr/conformance/test/simple_pb.js';
import type { Value as PbValue } from '@bufbuild/cel-spec/cel/expr/value_pb.js';
import type { Type as PbType } from '@bufbuild/cel-spec/cel/expr/checked_pb.js';

/**
 * The official CEL conformance cases (google/cel-spec tests/simple/testdata,
 * as published by @bufbuild/cel-spec; upstream tag below), narrowed to the
 * subset the product's engine supports. Every case outside it is skipped with
 * its reason; inside it, a case must pass or be refused at check time.
 */
export const UPSTREAM = 'google/cel-spec v0.25.1 (via @bufbuild/cel-spec 0.6.1)';
export const FILES = [
  'basic',
  'comparisons',
  'conversions',
  'fields',
  'fp_math',
  'integer_math',
  'lists',
  'logic',
  'macros',
  'parse',
  'plumbing',
  'string',
  'type_deductions',
];

export interface Case {
  file: string;
  name: string;
  expr: string;
  /** Declared variables and their CEL types. */
  types: Record<string, string>;
  bindings: Record<string, PbValue>;
  expected: { value: PbValue } | { error: true };
}

/** Features outside the product's subset, by what marks them in a case. */
const FEATURES: [RegExp, string][] = [
  [/\d[uU]\b|\buint\b/, 'unsigned ints: the product has int only'],
  [/\bb["']|\bbytes\b/, 'bytes: no attribute holds bytes'],
  [/\btimestamp\b|\bduration\b|google\.protobuf/, 'timestamps, durations and well-known types: no such attributes'],
  [
    /TestAllTypes|cel\.expr|\bproto[23]?\b|\bEnum\b|GlobalEnum/,
    'proto messages and enums: accounts are flat attributes',
  ],
  [
    /\btype\b|\b(int|double|string|bool|list|map|null_type|dyn)\b(?!\s*\()/,
    'type values (type(), type names): not part of the subset',
  ],
  [/\.\?|\?\.|\boptional\b|\[\?/, 'optional values: not part of the subset'],
];

type Skip = { file: string; name: string; reason: string };

function typeName(t: PbType | undefined): string | undefined {
  const k = t?.typeKind;
  switch (k?.case) {
    case 'primitive':
      return { 1: 'bool', 2: 'int', 4: 'double', 5: 'string' }[k.value as number];
    case 'dyn':
      return 'dyn';
    case 'null':
      return 'null';
    case 'listType': {
      const e = typeName(k.value.elemType);
      return e && `list<${e}>`;
    }
    case 'mapType': {
      const [kt, vt] = [typeName(k.value.keyType), typeName(k.value.valueType)];
      return kt && vt && `map<${kt}, ${vt}>`;
    }
    default:
      return undefined;
  }
}

/** Why a value is outside the subset, or undefined. */
function unsupportedValue(v: PbValue | undefined): string | undefined {
  const k = v?.kind;
  switch (k?.case) {
    case 'uint64Value':
      return 'unsigned ints: the product has int only';
    case 'bytesValue':
      return 'bytes: no attribute holds bytes';
    case 'objectValue':
    case 'enumValue':
      return 'proto messages and enums: accounts are flat attributes';
    case 'typeValue':
      return 'type values (type(), type names): not part of the subset';
    case 'listValue':
      return k.value.values.map(unsupportedValue).find(Boolean);
    case 'mapValue':
      return k.value.entries.flatMap((e) => [unsupportedValue(e.key), unsupportedValue(e.value)]).find(Boolean);
    default:
      return undefined;
  }
}

/** A binding's CEL type when the case declares none (cases run unchecked upstream). */
function inferType(v: PbValue): string {
  const k = v.kind;
  return (
    { int64Value: 'int', doubleValue: 'double', stringValue: 'string', boolValue: 'bool', nullValue: 'null' }[
      k.case as string
    ] ?? (k.case === 'listValue' ? 'list<dyn>' : k.case === 'mapValue' ? 'map<dyn, dyn>' : 'dyn')
  );
}

function toCase(file: string, t: SimpleTest): Case | Skip {
  const skip = (reason: string): Skip => ({ file, name: t.name, reason });
  if (t.checkOnly) return skip('type-check-only case: no value to compare');
  if (t.container) return skip('containers (namespaces): not part of the subset');
  const feature = FEATURES.find(([re]) => re.test(t.expr));
  if (feature) return skip(feature[1]);
  const types: Record<string, string> = {};
  for (const d of t.typeEnv) {
    if (d.declKind.case !== 'ident') return skip('function declarations: not part of the subset');
    const name = typeName(d.declKind.value.type);
    if (!name) return skip('proto messages and enums: accounts are flat attributes');
    types[d.name] = name;
  }
  const bindings: Record<string, PbValue> = {};
  for (const [name, ev] of Object.entries(t.bindings)) {
    if (ev.kind.case !== 'value') return skip('unknown or error bindings: not part of the subset');
    const why = unsupportedValue(ev.kind.value);
    if (why) return skip(why);
    bindings[name] = ev.kind.value;
    types[name] ??= inferType(ev.kind.value);
  }
  const m = t.resultMatcher;
  if (m.case === 'evalError' || m.case === 'anyEvalErrors')
    return { file, name: t.name, expr: t.expr, types, bindings, expected: { error: true } };
  const value = m.case === 'value' ? m.value : m.case === 'typedResult' ? m.value.result : undefined;
  if (m.case === undefined)
    return {
      file,
      name: t.name,
      expr: t.expr,
      types,
      bindings,
      expected: { value: { kind: { case: 'boolValue', value: true } } as PbValue },
    };
  if (!value) return skip('unknowns: not part of the subset');
  const why = unsupportedValue(value);
  if (why) return skip(why);
  return { file, name: t.name, expr: t.expr, types, bindings, expected: { value } };
}

export function loadCases(): { cases: Case[]; skipped: Skip[] } {
  const cases: Case[] = [];
  const skipped: Skip[] = [];
  for (const file of getConformanceSuite().suites.filter((s) => FILES.includes(s.name))) {
    for (const section of file.suites) {
      for (const t of section.tests) {
        const c = toCase(file.name, t.original);
        const named = { ...c, name: `${file.name}/${section.name}/${t.original.name}` };
        if ('reason' in c) skipped.push(named as Skip);
        else cases.push(named as Case);
      }
    }
  }
  return { cases, skipped };
}
