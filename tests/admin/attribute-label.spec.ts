import { attributeLabel } from '../../admin/src/attribute-label';
import { readYaml } from '../../api/src/demo/load-demo';

describe('attributeLabel', () => {
  it.each([
    [{ name: 'annualRevenueUsd', unit: 'USD per year' }, 'Annual revenue (USD per year)'],
    [{ name: 'employeeGrowthYoY', unit: 'fraction' }, 'Employee growth YoY (fraction)'],
    [{ name: 'mlMaturity' }, 'ML maturity'],
    [{ name: 'isMsp' }, 'Is MSP'],
    [{ name: 'iacTools' }, 'IaC tools'],
    [{ name: 'devopsTeamSize', unit: 'people' }, 'DevOps team size (people)'],
    [{ name: 'employees', unit: 'people' }, 'Employees (people)'],
    [{ name: 'usd', unit: 'USD' }, 'USD (USD)'],
  ])('%o is "%s"', (spec, label) => {
    expect(attributeLabel(spec)).toBe(label);
  });

  it('gives every demo attribute a distinct label without camelCase', () => {
    const { attributes } = readYaml('workspace.yaml') as { attributes: { name: string; unit?: string }[] };
    const labels = attributes.map(attributeLabel);
    expect(new Set(labels).size).toBe(labels.length);
    // No camelCase left (brand-cased words such as YoY, IaC and DevOps excepted).
    for (const l of labels) expect(l.replace(/YoY|IaC|DevOps/g, '')).not.toMatch(/[a-z][A-Z]/);
  });
});
