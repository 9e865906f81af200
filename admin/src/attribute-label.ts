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

export function attributeLabel(a: { name: string; unit?: string | null }): string {
  let ws = words(a.name);
  // A trailing word the unit already says (annualRevenueUsd, unit "USD per year") is dropped.
  const unitFirst = a.unit?.trim().split(/\s+/)[0]?.toLowerCase();
  if (ws.length > 1 && unitFirst && ws[ws.length - 1] === unitFirst) ws = ws.slice(0, -1);
  const text = ws.map((w, i) => CASED[w] ?? (i === 0 ? w[0].toUpperCase() + w.slice(1) : w)).join(' ');
  return a.unit ? `${text} (${a.unit})` : text;
}
