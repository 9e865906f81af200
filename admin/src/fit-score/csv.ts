/**
 * CSV for the scoring pages: the shared reader and writer and the accounts
 * conversion (api/src/csv, also used by the CLI), re-exported where the
 * console's pages import them.
 */
export * from '../../../api/src/csv/csv';
export * from '../../../api/src/csv/accounts-csv';
