import { useCallback, useMemo, useRef, useState } from 'react';
import {
  Alert,
  Box,
  Button,
  Checkbox,
  FormControl,
  FormControlLabel,
  FormGroup,
  FormHelperText,
  FormLabel,
  LinearProgress,
  TextField,
} from '@mui/material';
import { type FitScore, scoreOne } from './api';
import { type AttributeSpec, coerce, EMPTY_LIST } from './csv';
import {
  ErrorAlert,
  IcpPicker,
  NativeSelect,
  Page,
  useCatalogue,
  useDefault,
  useIcps,
  useScoringAttributes,
  VersionPicker,
} from './common';
import { attributeLabel } from '../attribute-label';
import { ScoreView } from './ScoreView';

/** The form's text for each attribute ('' = not given). */
type Values = Record<string, string>;

/** An example account's attributes as the form's texts. */
function toValues(attributes: Record<string, unknown>, catalogue: AttributeSpec[]): Values {
  const out: Values = {};
  for (const a of catalogue) {
    const v = attributes[a.name];
    if (v === undefined || v === null) continue;
    out[a.name] = Array.isArray(v) ? (v.length ? v.join(', ') : EMPTY_LIST) : String(v);
  }
  return out;
}

const label = attributeLabel;

/** One input per attribute, by its type; the catalogue's description is the help text. */
function AttributeInput({
  spec,
  value,
  error,
  onChange,
}: {
  spec: AttributeSpec;
  value: string;
  error?: string;
  onChange: (v: string) => void;
}) {
  const help = [
    spec.description,
    spec.type === 'STRING_LIST' ? `several, separated by commas; ${EMPTY_LIST} for none` : null,
  ]
    .filter(Boolean)
    .join(' — ');
  if (spec.type === 'STRING_LIST' && spec.allowedValues?.length) {
    // A few allowed values: one checkbox each (Tab between them, Space to tick).
    const chosen = value
      .split(/[,;]/)
      .map((v) => v.trim())
      .filter(Boolean);
    const toggle = (v: string) =>
      onChange(spec.allowedValues!.filter((a) => (a === v ? !chosen.includes(a) : chosen.includes(a))).join(', '));
    const none = value.trim() === EMPTY_LIST;
    return (
      <FormControl component="fieldset" error={!!error} size="small">
        <FormLabel component="legend" sx={{ fontSize: 12 }}>
          {label(spec)}
        </FormLabel>
        <FormGroup row>
          {spec.allowedValues.map((v) => (
            <FormControlLabel
              key={v}
              control={
                <Checkbox
                  size="small"
                  name={`${spec.name}.${v}`}
                  checked={chosen.includes(v)}
                  onChange={() => toggle(v)}
                />
              }
              label={v}
            />
          ))}
          {/* Unticked = not given; "none" = an empty list (e.g. no cloud at all). */}
          <FormControlLabel
            control={
              <Checkbox
                size="small"
                name={`${spec.name}.none`}
                checked={none}
                onChange={() => onChange(none ? '' : EMPTY_LIST)}
              />
            }
            label="none"
          />
        </FormGroup>
        <FormHelperText>{error ?? spec.description}</FormHelperText>
      </FormControl>
    );
  }
  if (spec.type === 'BOOL' || (spec.type === 'STRING' && spec.allowedValues?.length)) {
    const options = spec.type === 'BOOL' ? ['true', 'false'] : spec.allowedValues!;
    return (
      <NativeSelect
        label={label(spec)}
        name={spec.name}
        value={value}
        onChange={onChange}
        helperText={error ?? spec.description}
        options={[{ value: '', label: '— not given —' }, ...options.map((o) => ({ value: o, label: o }))]}
      />
    );
  }
  const numeric = spec.type === 'INT' || spec.type === 'NUMBER';
  return (
    <TextField
      label={label(spec)}
      name={spec.name}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      size="small"
      fullWidth
      error={!!error}
      helperText={error ?? help}
      slotProps={{
        htmlInput: { inputMode: numeric ? 'decimal' : 'text', autoComplete: 'off' },
        inputLabel: { shrink: true },
      }}
      placeholder={numeric ? (spec.type === 'INT' ? 'e.g. 250 or 2.5k' : 'e.g. $3B, 2.5M or 40k') : undefined}
    />
  );
}

/** Score one account: pick an ICP and version, fill the attributes, see the whole answer. */
export default function Playground() {
  const icps = useIcps();
  const catalogue = useCatalogue();
  const [icp, setIcp] = useState('');
  const [version, setVersion] = useState('');
  const [example, setExample] = useState('');
  const [values, setValues] = useState<Values>({});
  const [accountName, setAccountName] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [result, setResult] = useState<FitScore | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const resultRef = useRef<HTMLDivElement>(null);

  const firstPublished = icps.data?.find((i) => i.latestVersion !== null)?.slug;
  useDefault(icp, setIcp, firstPublished);
  const current = icps.data?.find((i) => i.slug === icp);
  // Only the attributes the chosen version reads: an account needs no others, and a shorter form is filled faster.
  const used = useScoringAttributes(icp, version ? Number(version) : undefined);
  const attrs = useMemo(
    () => (used.data ? (catalogue.data ?? []).filter((a) => used.data.includes(a.name)) : []),
    [catalogue.data, used.data],
  );

  const pickExample = useCallback(
    (id: string) => {
      setExample(id);
      const ex = current?.exampleAccounts.find((e) => e.id === id);
      setValues(ex ? toValues(ex.attributes, attrs) : {});
      setAccountName(ex?.name ?? '');
      setErrors({});
      setResult(null);
      setError(null);
    },
    [current, attrs],
  );
  // The form starts empty: an example account fills it only when chosen (a hand-typed account is never scored on
  // values left from another). Choosing another ICP or version empties it again.
  const chooseIcp = useCallback(
    (slug: string) => {
      setIcp(slug);
      setVersion('');
      pickExample('');
    },
    [pickExample],
  );
  // A result scored against another version is not shown under this one; the typed values stay (they describe the
  // account, not the version), and only the attributes this version reads are sent.
  const chooseVersion = useCallback((v: string) => {
    setVersion(v);
    setResult(null);
    setError(null);
    setErrors({});
  }, []);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const attributes: Record<string, unknown> = {};
    const problems: Record<string, string> = {};
    for (const a of attrs) {
      const text = values[a.name]?.trim();
      if (!text) continue;
      const v = coerce(a, a.type === 'STRING_LIST' ? text.replace(/,/g, ';') : text);
      if (v.ok) attributes[a.name] = v.value;
      else problems[a.name] = v.message;
    }
    setErrors(problems);
    if (Object.keys(problems).length) {
      setResult(null);
      const named = attrs.filter((a) => problems[a.name]).map((a) => attributeLabel(a));
      setError(new Error(`Fix the highlighted attributes: ${named.join(', ')}`));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const score = await scoreOne(
        icp,
        { key: accountName || 'playground', name: accountName || undefined, attributes },
        version ? Number(version) : undefined,
      );
      setResult(score);
      requestAnimationFrame(() => resultRef.current?.scrollIntoView?.({ behavior: 'smooth', block: 'start' }));
    } catch (err) {
      setResult(null);
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const loadError = icps.error ?? catalogue.error ?? used.error;
  return (
    <Page
      title="Score playground"
      intro="Describe an account and see how a published version of an ICP scores it, and why."
    >
      {loadError ? <ErrorAlert error={loadError} /> : null}
      {(icps.isPending || catalogue.isPending) && <LinearProgress aria-label="Loading" />}
      {icps.data && catalogue.data && (
        <Box
          component="form"
          onSubmit={(e) => void submit(e)}
          noValidate
          aria-label="Account to score"
          sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}
        >
          <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr', lg: '2fr 1fr 2fr' } }}>
            <IcpPicker icps={icps.data} value={icp} onChange={chooseIcp} />
            <VersionPicker icp={icp} value={version} onChange={chooseVersion} />
            <NativeSelect
              label="Start from an example account"
              name="example"
              value={example}
              onChange={pickExample}
              options={[
                { value: '', label: '— empty form —' },
                ...(current?.exampleAccounts ?? []).map((e) => ({ value: e.id, label: e.name })),
              ]}
            />
          </Box>
          <TextField
            label="Account name"
            name="accountName"
            value={accountName}
            onChange={(e) => setAccountName(e.target.value)}
            size="small"
            sx={{ maxWidth: 480 }}
          />
          <Box
            component="fieldset"
            sx={{
              border: 0,
              p: 0,
              m: 0,
              display: 'grid',
              gap: 2,
              gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr', lg: 'repeat(3, 1fr)' },
            }}
          >
            <Box component="legend" sx={{ mb: 1, fontWeight: 500 }}>
              Attributes this version reads (leave empty when unknown)
            </Box>
            {used.isPending && icp && <LinearProgress aria-label="Loading the attributes" />}
            {attrs.map((a) => (
              <AttributeInput
                key={a.name}
                spec={a}
                value={values[a.name] ?? ''}
                error={errors[a.name]}
                onChange={(v) => setValues((prev) => ({ ...prev, [a.name]: v }))}
              />
            ))}
          </Box>
          <Box
            sx={{
              display: 'flex',
              gap: 1,
              flexWrap: 'wrap',
              position: 'sticky',
              bottom: 0,
              py: 1,
              bgcolor: 'background.default',
              zIndex: 1,
            }}
          >
            <Button type="submit" variant="contained" disabled={!icp || busy}>
              Score
            </Button>
            <Button type="button" onClick={() => pickExample('')}>
              Clear
            </Button>
          </Box>
          {busy && <LinearProgress aria-label="Scoring" />}
        </Box>
      )}
      {icps.data && !firstPublished && (
        <Alert severity="info">No ICP has been published yet: publish one to score accounts with it.</Alert>
      )}
      <ErrorAlert error={error} />
      <div ref={resultRef}>{result && <ScoreView score={result} />}</div>
    </Page>
  );
}
