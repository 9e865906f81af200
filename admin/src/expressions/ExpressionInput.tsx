import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { Box, Button, FormHelperText, LinearProgress, Typography } from '@mui/material';
import { TextInput, useInput } from 'react-admin';
import { gql } from '../providers/graphql';

// The visual builder is loaded only when someone opens it.
const ConditionBuilder = lazy(() => import('./ConditionBuilder'));

interface Check {
  valid: boolean;
  message?: string | null;
  start?: number | null;
  end?: number | null;
  attributes: string[];
}

/** Checks an expression the way saving would, a moment after typing stops; only the latest answer counts. */
export function useExpressionCheck(
  expression: string | null | undefined,
  kind: 'CONDITION' | 'POINTS',
  delay = 300,
): Check | undefined {
  // Each answer with the text it checked: while a new text waits for its answer, no earlier answer shows.
  const [answer, setAnswer] = useState<{ text: string; check: Check }>();
  const latest = useRef(0);
  useEffect(() => {
    const text = (expression ?? '').trim();
    const ticket = ++latest.current;
    if (!text) return;
    const timer = setTimeout(() => {
      gql<{ checkExpression: Check }>(
        'query($e: String!, $k: ExpressionKind!) { checkExpression(expression: $e, kind: $k) { valid message start end attributes } }',
        { e: text, k: kind },
      )
        .then((d) => ticket === latest.current && setAnswer({ text, check: d.checkExpression }))
        .catch(
          (e: Error) =>
            ticket === latest.current &&
            setAnswer({ text, check: { valid: false, message: e.message, attributes: [] } }),
        );
    }, delay);
    return () => clearTimeout(timer);
  }, [expression, kind, delay]);
  const text = (expression ?? '').trim();
  return text !== '' && answer?.text === text ? answer.check : undefined;
}

/** The expression with the offending part marked, so the error is shown where it is. */
function Marked({ text, start, end }: { text: string; start: number; end: number }) {
  const trimmedStart = text.length - text.trimStart().length;
  const s = Math.min(start + trimmedStart, text.length);
  const e = Math.max(Math.min(end + trimmedStart, text.length), s + 1);
  return (
    <Box
      component="pre"
      data-testid="expression-error-mark"
      sx={{
        m: 0,
        mt: 0.5,
        p: 1,
        bgcolor: 'action.hover',
        borderRadius: 1,
        fontSize: 13,
        whiteSpace: 'pre-wrap',
        wordBreak: 'break-all',
      }}
    >
      {text.slice(0, s)}
      <Box
        component="mark"
        sx={{ bgcolor: 'error.light', color: 'error.contrastText', textDecoration: 'underline wavy' }}
      >
        {text.slice(s, e) || ' '}
      </Box>
      {text.slice(e)}
    </Box>
  );
}

/**
 * A CEL expression over `account`, checked against the workspace's attribute
 * catalogue as it is typed; conditions can also be built visually.
 */
export function ExpressionInput({
  source,
  label,
  kind = 'CONDITION',
  helperText,
}: {
  source: string;
  label?: string;
  kind?: 'CONDITION' | 'POINTS';
  helperText?: string;
}) {
  const { field } = useInput({ source });
  const [builder, setBuilder] = useState(false);
  const value: string = field.value ?? '';
  const check = useExpressionCheck(value, kind);
  return (
    <Box sx={{ width: '100%', mb: 1 }}>
      <TextInput
        source={source}
        label={label}
        multiline
        fullWidth
        helperText={false}
        sx={{ mb: 0, '& textarea': { fontFamily: 'monospace' } }}
        inputProps={{ spellCheck: false, 'aria-describedby': `${source}-check` }}
      />
      <Box id={`${source}-check`} role="status" aria-live="polite">
        {check && !check.valid && (
          <>
            <FormHelperText error>{check.message}</FormHelperText>
            {check.start != null && <Marked text={value} start={check.start} end={check.end ?? check.start + 1} />}
          </>
        )}
        {check?.valid && (
          <FormHelperText sx={{ color: 'success.main' }}>
            ✓ Valid{check.attributes.length ? ` · reads ${check.attributes.join(', ')}` : ''}
          </FormHelperText>
        )}
        {!check && helperText && <FormHelperText>{helperText}</FormHelperText>}
      </Box>
      {kind === 'CONDITION' && (
        <Button size="small" onClick={() => setBuilder((b) => !b)} aria-expanded={builder} sx={{ mt: 0.5 }}>
          {builder ? 'Hide the builder' : 'Build visually'}
        </Button>
      )}
      {builder && (
        <Suspense fallback={<LinearProgress />}>
          <Typography variant="caption" color="text.secondary" component="div">
            Changes in the builder rewrite the expression above; the text stays one click away.
          </Typography>
          <ConditionBuilder expression={value} onChange={(text) => field.onChange(text)} />
        </Suspense>
      )}
    </Box>
  );
}
