import { useState } from 'react';
import { Alert, Box, Button, Divider, LinearProgress, Stack, Typography } from '@mui/material';
import AddIcon from '@mui/icons-material/Add';
import { type Identifier, useCanAccess, useGetList, useRecordContext } from 'react-admin';
import { editableFields } from '../resources/fields';
import type { AttributeInfo } from './cel-words';
import {
  Bullets,
  Card,
  Cards,
  Chips,
  Conditions,
  FieldBlock,
  isEmpty,
  Points,
  type Rec,
  Section,
  Text,
} from './overview-parts';
import { PartDialog } from './PartDialog';

/** What the dialog over the page edits: a part, or a new one with its starting values. */
interface Editing {
  resource: string;
  id?: Identifier;
  defaults?: Record<string, unknown>;
  title: string;
}
type Open = (e: Editing) => void;

const byPosition = { field: 'position', order: 'ASC' } as const;
const ALL = { page: 1, perPage: 500 };

/** The parts of one ICP, each list refreshed by React-Admin when a dialog saves. */
function useParts(icpId: Identifier) {
  const useList = (resource: string, sort: { field: string; order: 'ASC' | 'DESC' } = byPosition) =>
    useGetList<Rec & { id: Identifier }>(resource, { filter: { icpId }, pagination: ALL, sort });
  return {
    tiers: useList('tiers', { field: 'rank', order: 'ASC' }),
    personas: useList('personas'),
    useCases: useList('useCasePatterns'),
    disqualifiers: useList('disqualifiers'),
    triggers: useList('triggerEvents'),
    dimensions: useList('scoringDimensions'),
    rules: useList('scoringRules'),
    bands: useList('actionBands', { field: 'minScore', order: 'DESC' }),
  };
}

export function useCatalogue(): AttributeInfo[] {
  const { data } = useGetList<AttributeInfo & { id: Identifier }>('attributeDefinitions', {
    pagination: ALL,
    sort: { field: 'name', order: 'ASC' },
  });
  return data ?? [];
}

const ABOUT_SKIP = ['name', 'slug', 'status', 'description', 'targetAudience', 'provenance'];
const role = (r: string) => r.toLowerCase().replace(/_/g, ' ');

/**
 * An ICP as its document reads: who it is for, the tiers with their
 * conditions in words, the personas, use cases by industry, disqualifiers,
 * triggers and the whole scoring model; every part added and edited in a
 * dialog over this page.
 */
export function Overview() {
  const icp = useRecordContext<Rec & { id: Identifier }>();
  const { canAccess: canEdit } = useCanAccess({ resource: 'icps', action: 'edit' });
  const [editing, setEditing] = useState<Editing>();
  const catalogue = useCatalogue();
  const parts = useParts(icp?.id ?? '');
  if (!icp) return null;
  const open: Open | undefined = canEdit ? setEditing : undefined;
  const pending = Object.values(parts).some((p) => p.isPending);
  const failed = Object.values(parts).find((p) => p.error)?.error;
  const tiers = parts.tiers.data ?? [];
  const nextRank = Math.max(0, ...tiers.map((t) => Number(t.rank) || 0)) + 1;
  const add = (resource: string, title: string, defaults: Record<string, unknown> = {}) =>
    open && (() => open({ resource, title, defaults: { icpId: icp.id, ...defaults } }));
  const edit = (resource: string, r: Rec, what: string) =>
    open && (() => open({ resource, id: r.id, title: `Edit ${what} “${r.name}”` }));

  return (
    <Stack spacing={4} sx={{ width: '100%', minWidth: 0, py: 1 }} data-testid="icp-overview">
      {pending && <LinearProgress aria-label="Loading the ICP" />}
      {failed && <Alert severity="error">{failed.message}</Alert>}
      <About icp={icp} catalogue={catalogue} />

      <Section
        id="tiers"
        title="Tiers & segments"
        count={tiers.length}
        addLabel="Add tier"
        onAdd={add('tiers', 'New tier', { rank: nextRank, kind: 'TIER' })}
      >
        <Cards>
          {tiers.map((t) => (
            <Card
              key={t.id}
              testId="tier-card"
              title={`${t.rank}. ${t.name}`}
              subtitle={[
                t.kind === 'SEGMENT' ? 'Segment' : 'Tier',
                t.focusShare != null && `${Math.round(t.focusShare * 100)}% of the focus`,
              ]
                .filter(Boolean)
                .join(' · ')}
              onEdit={edit('tiers', t, 'tier')}
              editLabel={`Edit ${t.name}`}
            >
              <Conditions label="When" cel={t.criteria} catalogue={catalogue} />
              <Text value={t.description} />
              <Text label="Action" value={t.action} />
              <Bullets label="Characteristics" items={t.characteristics} />
              <Bullets label="Value propositions" items={t.valuePropositions} />
              <Bullets label="Why they buy" items={t.whyTheyBuy} />
              <Chips label="Examples" items={t.examples} />
            </Card>
          ))}
        </Cards>
      </Section>

      <Section
        id="personas"
        title="Personas"
        count={parts.personas.data?.length}
        addLabel="Add persona"
        onAdd={add('personas', 'New persona')}
      >
        <Cards>
          {(parts.personas.data ?? []).map((p) => (
            <Card
              key={p.id}
              testId="persona-card"
              title={p.name}
              subtitle={[
                (p.buyingRoles as string[] | undefined)?.map(role).join(', '),
                p.seniority,
                tiers.find((t) => t.id === p.tierId)?.name,
              ]
                .filter((x) => !isEmpty(x))
                .join(' · ')}
              onEdit={edit('personas', p, 'persona')}
              editLabel={`Edit ${p.name}`}
            >
              <Chips label="Job titles" items={p.jobTitles} />
              <Bullets label="Pains" items={[...(p.painPoints ?? []), ...(p.challenges ?? [])]} />
              <Bullets label="Goals" items={p.goals} />
              {!isEmpty(p.quote) && (
                <Typography
                  variant="body2"
                  component="blockquote"
                  sx={{ m: 0, pl: 1.5, borderLeft: 3, borderColor: 'divider', fontStyle: 'italic' }}
                >
                  “{p.quote}”
                </Typography>
              )}
            </Card>
          ))}
        </Cards>
      </Section>

      <UseCases
        items={parts.useCases.data ?? []}
        add={add('useCasePatterns', 'New use-case pattern')}
        edit={(r) => edit('useCasePatterns', r, 'pattern')}
      />

      {CONDITION_PARTS.map((c) => (
        <ConditionParts key={c.id} {...c} items={parts[c.id].data} catalogue={catalogue} add={add} edit={edit} />
      ))}

      <Scoring parts={parts} catalogue={catalogue} add={add} edit={edit} />

      {editing && <PartDialog {...editing} onClose={() => setEditing(undefined)} />}
    </Stack>
  );
}

/** The ICP's own fields that say something, the short ones first. */
function About({ icp, catalogue }: { icp: Rec; catalogue: AttributeInfo[] }) {
  const fields = editableFields('Icp').filter((f) => !ABOUT_SKIP.includes(f.name) && !isEmpty(icp[f.name]));
  return (
    <Box component="section" aria-label="About this ICP" sx={{ minWidth: 0 }}>
      <Typography variant="h5" component="h1" sx={{ overflowWrap: 'anywhere' }}>
        {icp.name}
      </Typography>
      <Typography variant="body2" color="text.secondary" gutterBottom>
        {icp.slug} · {String(icp.status ?? '').toLowerCase()}
      </Typography>
      <Text value={icp.description} />
      <Text label="Target audience" value={icp.targetAudience} />
      {fields.length > 0 && (
        <Box sx={{ mt: 2 }}>
          <Cards min={300}>
            {fields.map((f) => (
              <Box key={f.name} sx={{ minWidth: 0, overflowWrap: 'anywhere' }}>
                <FieldBlock spec={f} record={icp} catalogue={catalogue} />
              </Box>
            ))}
          </Cards>
        </Box>
      )}
    </Box>
  );
}

const CONDITION_PARTS = [
  { id: 'disqualifiers', title: 'Disqualifiers', what: 'disqualifier', labels: ['When', 'Why'] },
  {
    id: 'triggers',
    title: 'Trigger events',
    what: 'trigger event',
    resource: 'triggerEvents',
    labels: ['Seen when', 'Why it matters'],
  },
] as const;

type Add = (resource: string, title: string, defaults?: Record<string, unknown>) => (() => void) | undefined;
type Edit = (resource: string, r: Rec, what: string) => (() => void) | undefined;

/** Disqualifiers and trigger events: a name, a condition in words and why it matters. */
function ConditionParts({
  id,
  title,
  what,
  resource = id,
  items = [],
  labels: [when, why],
  catalogue,
  add,
  edit,
}: {
  id: string;
  title: string;
  what: string;
  resource?: string;
  items?: Rec[];
  labels: readonly [string, string];
  catalogue: AttributeInfo[];
  add: Add;
  edit: Edit;
}) {
  return (
    <Section id={id} title={title} count={items.length} addLabel={`Add ${what}`} onAdd={add(resource, `New ${what}`)}>
      <Cards min={320}>
        {items.map((d) => (
          <Card
            key={d.id}
            testId={`${id.replace(/s$/, '')}-card`}
            title={d.name}
            subtitle={d.category}
            onEdit={edit(resource, d, what)}
            editLabel={`Edit ${d.name}`}
          >
            <Conditions label={when} cel={d.expression} catalogue={catalogue} />
            <Text label={why} value={d.reason} />
          </Card>
        ))}
      </Cards>
    </Section>
  );
}

/** Use-case patterns grouped by industry (technical patterns apart), as seed 003 lays them out. */
function UseCases({
  items,
  add,
  edit,
}: {
  items: Rec[];
  add?: () => void;
  edit: (r: Rec) => (() => void) | undefined;
}) {
  const groups = new Map<string, Rec[]>();
  for (const p of items) {
    const key =
      p.industry ||
      (p.industries?.length ? p.industries.join(', ') : p.kind === 'TECHNICAL' ? 'Technical patterns' : 'Any industry');
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  return (
    <Section id="use-cases" title="Use cases by industry" count={items.length} addLabel="Add use case" onAdd={add}>
      <Stack spacing={2}>
        {[...groups].map(([industry, patterns]) => (
          <Box key={industry}>
            <Typography variant="subtitle2" component="h3" sx={{ mb: 1 }}>
              {industry}
            </Typography>
            <Cards>
              {patterns.map((p) => (
                <Card key={p.id} title={p.name} onEdit={edit(p)} editLabel={`Edit ${p.name}`}>
                  <Text value={p.description} />
                  <Bullets label="Pain points" items={p.painPoints} />
                  <Bullets label="Use cases" items={p.useCases} />
                  <Bullets label="Key metrics" items={p.keyMetrics} />
                  <Chips label="Competition" items={p.competitors} />
                </Card>
              ))}
            </Cards>
          </Box>
        ))}
      </Stack>
    </Section>
  );
}

/** Dimensions with their rules and points, then the bands and their actions: the whole model on one screen. */
function Scoring({
  parts,
  catalogue,
  add,
  edit,
}: {
  parts: ReturnType<typeof useParts>;
  catalogue: AttributeInfo[];
  add: Add;
  edit: Edit;
}) {
  const dimensions = parts.dimensions.data ?? [];
  const rules = parts.rules.data ?? [];
  const bands = parts.bands.data ?? [];
  const max = dimensions.reduce((s, d) => s + (Number(d.max) || 0), 0);
  return (
    <Section
      id="scoring"
      title="Scoring model"
      addLabel="Add dimension"
      onAdd={add('scoringDimensions', 'New scoring dimension', { max: 10 })}
    >
      {dimensions.length > 0 && (
        <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
          A score out of {max}: each dimension adds the points of its rules that hold, up to its maximum.
        </Typography>
      )}
      <Cards min={320}>
        {dimensions.map((d) => {
          const own = rules.filter((r) => r.dimensionId === d.id);
          const addRule = add('scoringRules', `New rule for ${d.name}`, { dimensionId: d.id, points: '1' });
          return (
            <Card
              key={d.id}
              testId="dimension-card"
              title={d.name}
              subtitle={`up to ${d.max} points`}
              onEdit={edit('scoringDimensions', d, 'dimension')}
              editLabel={`Edit ${d.name}`}
            >
              <Text value={d.description} />
              <Box component="ul" sx={{ m: 0, pl: 0, listStyle: 'none' }} aria-label={`Rules of ${d.name}`}>
                {own.map((r) => (
                  <Box component="li" key={r.id} sx={{ py: 0.5, borderTop: 1, borderColor: 'divider' }}>
                    <Stack direction="row" gap={1} alignItems="baseline" flexWrap="wrap">
                      <Box sx={{ flex: 1, minWidth: 160 }}>
                        <Conditions cel={r.condition} catalogue={catalogue} />
                        <Typography variant="caption" color="text.secondary">
                          {r.name}
                        </Typography>
                      </Box>
                      <Typography variant="body2" sx={{ fontWeight: 600 }}>
                        → <Points cel={r.points} catalogue={catalogue} />
                      </Typography>
                      {edit('scoringRules', r, 'rule') && (
                        <Button
                          size="small"
                          onClick={edit('scoringRules', r, 'rule')}
                          aria-label={`Edit rule ${r.name}`}
                        >
                          Edit
                        </Button>
                      )}
                    </Stack>
                  </Box>
                ))}
              </Box>
              {addRule && (
                <Button size="small" startIcon={<AddIcon />} onClick={addRule} sx={{ alignSelf: 'flex-start' }}>
                  Add rule
                </Button>
              )}
            </Card>
          );
        })}
      </Cards>
      <Divider sx={{ my: 2 }} />
      <Stack direction="row" alignItems="center" gap={1} flexWrap="wrap" sx={{ mb: 1 }}>
        <Typography variant="subtitle1" component="h3">
          Action bands
        </Typography>
        {add('actionBands', 'New action band') && (
          <Button size="small" startIcon={<AddIcon />} onClick={add('actionBands', 'New action band')}>
            Add band
          </Button>
        )}
      </Stack>
      <Cards min={240}>
        {bands.map((b) => (
          <Card
            key={b.id}
            testId="band-card"
            title={`${b.minScore}+ · ${b.name}`}
            onEdit={edit('actionBands', b, 'band')}
            editLabel={`Edit ${b.name}`}
          >
            <Text value={b.action} />
          </Card>
        ))}
      </Cards>
    </Section>
  );
}
