/**
 * Qdrant filters for each VectorStore call, built as plain data so tests can pin their exact shape.
 * Every filter names the tenant first: no call ever reaches across tenants. Conditions in `must` are
 * ANDed; `must_not` excludes a point when its condition matches.
 *
 * asOf uses the stored sentinels (payload.ts): validFrom <= asOf AND validTo > asOf, both integer
 * ranges. Retracted points are excluded with `must_not retracted = true`, so a point written
 * without the flag counts as not retracted.
 */
import type { Schemas } from '@qdrant/js-client-rest';
import { InvalidArgumentError } from '../../schema/errors.ts';
import { checkKey, DEFAULT_TENANT } from './point-id.ts';

export type Filter = Schemas['Filter'];
export type Condition = Schemas['Condition'];

export interface SearchFilterInput {
  /** @default 'default' */
  tenant?: string;
  /** null or absent: every kind. Callers answer an empty list themselves (it matches nothing). */
  kinds?: readonly string[] | null;
  asOf?: number | null;
  /** @default false */
  includeRetracted?: boolean;
}

const tenantCondition = (tenant: string): Condition => {
  checkKey('tenant', tenant);
  return { key: 'tenant', match: { value: tenant } };
};

/** Points of one tenant (count). */
export function tenantFilter(tenant: string = DEFAULT_TENANT): Filter {
  return { must: [tenantCondition(tenant)] };
}

/** Points of one tenant whose graph id is one of `ids` (setRetracted, delete). */
export function idsFilter(ids: readonly string[], tenant: string = DEFAULT_TENANT): Filter {
  if (ids.length === 0) throw new InvalidArgumentError('ids', 'an empty id list matches nothing; skip the call');
  return { must: [tenantCondition(tenant), { key: 'nodeId', match: { any: [...ids] } }] };
}

/** The KNN filter: tenant, then kinds, validity at asOf and retraction as asked. */
export function searchFilter(input: SearchFilterInput): Filter {
  const must: Condition[] = [tenantCondition(input.tenant ?? DEFAULT_TENANT)];
  const kinds = input.kinds ?? null;
  if (kinds !== null) {
    if (kinds.length === 0) throw new InvalidArgumentError('kinds', 'an empty kind list matches nothing; skip the call');
    must.push({ key: 'kind', match: { any: [...kinds] } });
  }
  const asOf = input.asOf ?? null;
  if (asOf !== null) {
    if (!Number.isFinite(asOf)) throw new InvalidArgumentError('asOf', 'must be a finite epoch-ms time or null');
    const at = Math.floor(asOf);
    must.push({ key: 'validFrom', range: { lte: at } }, { key: 'validTo', range: { gt: at } });
  }
  const filter: Filter = { must };
  if (!(input.includeRetracted ?? false)) filter.must_not = [{ key: 'retracted', match: { value: true } }];
  return filter;
}
