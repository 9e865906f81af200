/**
 * An attribute's name as people read it: `annualRevenueUsd` with unit
 * "USD per year" is "Annual revenue (USD per year)". The catalogue names
 * attributes for expressions (camelCase); the console shows these labels,
 * with the name itself as the field's technical name.
 */

// Words that are acronyms or brand-cased, as they are written.
const CASED: Record<string, string> = {
  usd: 'USD',
  ml: 'ML',
  msp: 'MSP',
  iac: 'IaC',
  devops: 'DevOps',
  yoy: 'YoY',
  it: 'IT',
  crm: 'CRM',
  ai: 'AI',
};

/** `employeeGrowthYoY` → ["employee", "growth", "yoy"]. */
function words(name: string): string[] {
  return name
    .replace(/YoY/g, 'Yoy')
    .split(/(?<=[a-z0-9])(?=[A-Z])|[_\s-]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

export interface Labelled {
  name: string;
  unit?: string | null;
  /** A label the catalogue gives, used as is when present. */
  label?: string | null;
}

/** The name's words without a trailing one the unit already says (annualRevenueUsd, unit "USD per year"). */
function nameWords(a: Labelled): string[] {
  const ws = words(a.name);
  const unitFirst = a.unit?.trim().split(/\s+/)[0]?.toLowerCase();
  return ws.length > 1 && unitFirst && ws[ws.length - 1] === unitFirst ? ws.slice(0, -1) : ws;
}

/** The attribute inside a sentence: "annual revenue", "ML maturity", "employee growth YoY". */
export function attributeWords(a: Labelled): string {
  if (a.label?.trim()) return a.label.trim();
  return nameWords(a)
    .map((w) => CASED[w] ?? w)
    .join(' ');
}

/** The attribute as a field's label: "Annual revenue (USD per year)". */
export function attributeLabel(a: Labelled): string {
  const text = a.label?.trim()
    ? a.label.trim()
    : nameWords(a)
        .map((w, i) => CASED[w] ?? (i === 0 ? w[0].toUpperCase() + w.slice(1) : w))
        .join(' ');
  return a.unit ? `${text} (${a.unit})` : text;
}
