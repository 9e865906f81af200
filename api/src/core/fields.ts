import { Column, JoinColumn, ManyToOne } from 'typeorm';
import { Field, Float, getMetadataStorage, ID, Int } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';

/**
 * Property decorators that declare a stored field once: its PostgreSQL column
 * (TypeORM) and its GraphQL field (type-graphql) together, so an entity file
 * reads as a list of its fields.
 */
type Decorator = (target: object, key: string) => void;
const both =
  (...ds: Decorator[]): PropertyDecorator =>
  (t: object, k: string | symbol) =>
    ds.forEach((d) => d(t, String(k)));

interface Opt {
  nullable?: boolean;
  description?: string;
}

const snake = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

interface RefOpt extends Opt {
  /** Entity name this id points to; declares the foreign key (on a hidden `<key>Ref` relation). */
  references?: string;
  onDelete?: 'CASCADE' | 'SET NULL';
}

/** A foreign key without a loaded relation property: the id column stays the API's field. */
const foreignKey =
  (o: RefOpt): Decorator =>
  (target, key) => {
    if (!o.references) return;
    ManyToOne(o.references, { onDelete: o.onDelete ?? 'CASCADE', nullable: o.nullable })(target, `${key}Ref`);
    JoinColumn({ name: snake(key) })(target, `${key}Ref`);
  };

export const Prop = {
  id: (o: RefOpt = {}) =>
    both(
      Field(() => ID, { nullable: o.nullable, description: o.description }),
      Column('uuid', { nullable: o.nullable }),
      foreignKey(o),
    ),
  text: (o: Opt = {}) =>
    both(
      Field(() => String, { nullable: o.nullable, description: o.description }),
      Column('text', { nullable: o.nullable }),
    ),
  textList: (o: Opt = {}) =>
    both(
      Field(() => [String], { description: o.description }),
      Column('text', { array: true, default: () => "'{}'" }),
    ),
  int: (o: Opt = {}) =>
    both(
      Field(() => Int, { nullable: o.nullable, description: o.description }),
      Column('integer', { nullable: o.nullable }),
    ),
  float: (o: Opt = {}) =>
    both(
      Field(() => Float, { nullable: o.nullable, description: o.description }),
      Column('double precision', { nullable: o.nullable }),
    ),
  bool: (o: Opt & { default?: boolean } = {}) =>
    both(
      Field(() => Boolean, { nullable: o.nullable, description: o.description }),
      Column('boolean', o.nullable ? { nullable: true } : { default: o.default ?? false }),
    ),
  /** A closed set of values, stored as text so adding a value needs no type migration. */
  enum: (type: object, o: Opt = {}) =>
    both(
      Field(() => type, { nullable: o.nullable, description: o.description }),
      Column('text', { nullable: o.nullable }),
    ),
  /** A list of small structured items (questions, checklist lines) kept as jsonb. */
  items: (type: () => Function, o: Opt = {}) =>
    both(
      Field(() => [type()], { description: o.description }),
      Column('jsonb', { default: () => "'[]'" }),
    ),
  /** A closed set of values, several at once, stored as a text array. */
  enumList: (type: object, o: Opt = {}) =>
    both(
      Field(() => [type] as never, { description: o.description }),
      Column('text', { array: true, default: () => "'{}'" }),
    ),
  /** One small structured object (e.g. a part's provenance) kept as jsonb. */
  item: (type: () => Function, o: Opt = {}) =>
    both(
      Field(() => type() as never, { nullable: o.nullable, description: o.description }),
      Column('jsonb', { nullable: o.nullable }),
    ),
  json: (o: Opt = {}) =>
    both(
      Field(() => GraphQLJSON, { nullable: o.nullable, description: o.description }),
      Column('jsonb', { nullable: o.nullable }),
    ),
};

/** The GraphQL description of a field of an object type (declared on it or a base class), if it has one. */
export function fieldDescription(type: Function, field: string): string | undefined {
  const fields = getMetadataStorage().fields;
  for (let c: Function | null = type; c && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    const found = fields.find((f) => f.target === c && f.name === field);
    if (found) return found.description;
  }
  return undefined;
}
