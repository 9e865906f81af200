/** The history page's filter, kept in the page's URL (`#/history?icp=…&entityType=Tier`) so it can be shared or kept. */
export interface HistoryFilterState {
  actor: string;
  entityType: string;
  action: string;
  icp: string;
  from: string;
  to: string;
}
export const FILTER_KEYS = ['actor', 'entityType', 'action', 'icp', 'from', 'to'] as const;

export const filterFromUrl = (params: URLSearchParams): HistoryFilterState =>
  Object.fromEntries(FILTER_KEYS.map((k) => [k, params.get(k) ?? ''])) as unknown as HistoryFilterState;

/** The URL's query for a filter and page: only what is set. */
export function filterToUrl(filter: HistoryFilterState, page: number, perPage: number): URLSearchParams {
  const params = new URLSearchParams();
  for (const k of FILTER_KEYS) if (filter[k]) params.set(k, filter[k]);
  if (page) params.set('page', String(page + 1));
  if (perPage !== 25) params.set('perPage', String(perPage));
  return params;
}

/** The API's HistoryFilter for it. */
export const toApi = (f: HistoryFilterState) => ({
  ...(f.actor.trim() ? { actor: f.actor.trim() } : {}),
  ...(f.entityType ? { entityType: f.entityType } : {}),
  ...(f.action ? { actions: [f.action] } : {}),
  ...(f.icp ? { icpId: f.icp } : {}),
  ...(f.from ? { from: new Date(f.from).toISOString() } : {}),
  ...(f.to ? { to: new Date(f.to).toISOString() } : {}),
});
