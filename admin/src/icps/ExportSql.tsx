import { useState } from 'react';
import { Box, Button, Typography } from '@mui/material';
import StorageIcon from '@mui/icons-material/Storage';
import { useNotify, useRecordContext } from 'react-admin';
import { download } from '../download';
import { NativeSelect } from '../fit-score/common';
import { gql } from '../providers/graphql';
import type * as G from '../generated/graphql';

const DIALECTS: { value: G.SqlDialect; label: string }[] = [
  { value: 'POSTGRES', label: 'PostgreSQL' },
  { value: 'DUCKDB', label: 'DuckDB' },
  { value: 'BIGQUERY', label: 'BigQuery' },
  { value: 'SNOWFLAKE', label: 'Snowflake' },
  { value: 'SPARK', label: 'Spark SQL / Databricks' },
];

/** The SQL dialect the versions' "Download SQL" buttons write (one choice for the table). */
export function useSqlDialect(): [G.SqlDialect, (d: G.SqlDialect) => void] {
  return useState<G.SqlDialect>('POSTGRES');
}

export function SqlDialectSelect({ value, onChange }: { value: G.SqlDialect; onChange: (d: G.SqlDialect) => void }) {
  return (
    <Box sx={{ maxWidth: 520, mt: 1, mb: 1 }}>
      <NativeSelect
        label="SQL dialect"
        name="sql-dialect"
        value={value}
        onChange={(v) => onChange(v as G.SqlDialect)}
        options={DIALECTS}
      />
      <Typography variant="body2" color="text.secondary" sx={{ mt: 0.5 }}>
        Download SQL: a view that scores an accounts table (a key column id, one column per attribute) in the warehouse,
        as this version scores.
      </Typography>
    </Box>
  );
}

/** Downloads a published version as a SQL view in the chosen dialect (exportIcpSql). */
export function ExportSqlButton({ version, dialect }: { version: number; dialect: G.SqlDialect }) {
  const icp = useRecordContext();
  const notify = useNotify();
  if (!icp) return null;
  const run = async () => {
    try {
      const { exportIcpSql } = await gql<{ exportIcpSql: Pick<G.IcpSqlExport, 'filename' | 'sql'> }>(
        'query($icp: String!, $v: Int, $d: SqlDialect!) { exportIcpSql(icp: $icp, version: $v, dialect: $d) { filename sql } }',
        { icp: icp.id, v: version, d: dialect },
      );
      download(exportIcpSql.filename, exportIcpSql.sql, 'application/sql;charset=utf-8');
    } catch (e) {
      notify((e as Error).message, { type: 'error' });
    }
  };
  return (
    <Button size="small" startIcon={<StorageIcon />} onClick={() => void run()}>
      Download SQL
    </Button>
  );
}
