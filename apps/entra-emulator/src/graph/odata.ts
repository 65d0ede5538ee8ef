import type { Context } from 'hono';
import { evaluateFilter, type FilterExpression, parseFilter } from './filter';
import { graphErrors } from './graph-error';
import type { GraphObject } from './representations';
import { matchesSearch, parseSearch, type SearchExpression, searchProperties } from './search';

/** What an entity type allows in a query: its properties, defaults and searchable properties. */
export interface EntityType {
  /** Graph's type name, e.g. `microsoft.graph.user` (used in error messages). */
  name: string;
  properties: readonly string[];
  defaultProperties: readonly string[];
  searchable: readonly string[];
}

export interface CollectionQuery {
  select: string[] | undefined;
  top: number;
  skip: number;
  count: boolean;
  search: SearchExpression | undefined;
  filter: FilterExpression | undefined;
  orderBy: { property: string; descending: boolean } | undefined;
}

export interface QueryRules {
  defaultPageSize: number;
  maxPageSize: number;
  /** `/me/people` takes `$skip` and a bare `$search="text"` without `ConsistencyLevel`. */
  people?: boolean;
}

export const DIRECTORY_RULES: QueryRules = { defaultPageSize: 100, maxPageSize: 999 };

export function isEventual(c: Context): boolean {
  return (c.req.header('consistencylevel') ?? '').toLowerCase() === 'eventual';
}

/** Reads and checks the OData query options of a collection request, with Graph's directory rules. */
export function readCollectionQuery(
  c: Context,
  types: readonly EntityType[],
  rules: QueryRules,
): CollectionQuery {
  const q = (name: string) => c.req.query(`$${name}`) ?? c.req.query(name);
  const eventual = isEventual(c);
  const typeName = types.map((t) => t.name).join(' or ');
  const known = new Set(types.flatMap((t) => t.properties.map((p) => p.toLowerCase())));

  if (q('expand') !== undefined) {
    throw graphErrors.unsupportedQuery(
      '$expand is not supported by the emulator; request the related collection instead.',
    );
  }
  const select = q('select')
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const property of select ?? []) {
    if (!known.has(property.toLowerCase())) {
      throw graphErrors.requestBadRequest(
        `Parsing OData Select and Expand failed: Could not find a property named '${property}' on type '${typeName}'.`,
      );
    }
  }

  const topText = q('top');
  let top = rules.defaultPageSize;
  if (topText !== undefined) {
    top = Number(topText);
    if (!Number.isInteger(top) || top < 1 || top > rules.maxPageSize) {
      throw graphErrors.requestBadRequest(
        `Invalid page size specified: '${topText}'. Must be between 1 and ${rules.maxPageSize} inclusive.`,
      );
    }
  }

  let skip = 0;
  const skipToken = q('skiptoken');
  if (skipToken !== undefined) skip = decodeSkipToken(skipToken);
  const skipText = q('skip');
  if (skipText !== undefined) {
    if (!rules.people) throw graphErrors.requestBadRequest("'$skip' is not supported by the service.");
    skip = Number(skipText);
    if (!Number.isInteger(skip) || skip < 0)
      throw graphErrors.requestBadRequest(`Invalid $skip value '${skipText}'.`);
  }

  const countText = q('count');
  if (countText !== undefined && countText !== 'true' && countText !== 'false') {
    throw graphErrors.requestBadRequest(`Invalid $count value '${countText}': use true or false.`);
  }
  // Without ConsistencyLevel: eventual, Graph ignores $count=true on directory collections.
  const count = countText === 'true' && (eventual || Boolean(rules.people));

  let search: SearchExpression | undefined;
  const searchText = q('search');
  if (searchText !== undefined) {
    if (!eventual && !rules.people) {
      throw graphErrors.unsupportedQuery(
        "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
      );
    }
    if (rules.people && skipText !== undefined)
      throw graphErrors.requestBadRequest('$skip is not supported together with $search.');
    search = parseSearch(searchText, Boolean(rules.people));
    const searchable = new Set(types.flatMap((t) => t.searchable.map((p) => p.toLowerCase())));
    for (const property of searchProperties(search)) {
      if (property !== '*' && !searchable.has(property.toLowerCase())) {
        throw graphErrors.unsupportedQuery(
          `Unsupported or invalid search property '${property}' for type '${typeName}'.`,
        );
      }
    }
  }

  let filter: FilterExpression | undefined;
  const filterText = q('filter');
  if (filterText !== undefined) {
    const parsed = parseFilter(filterText);
    for (const path of parsed.paths) {
      const root = path.split('/')[0]!.toLowerCase();
      if (!known.has(root)) {
        throw graphErrors.requestBadRequest(
          `Invalid filter clause: Could not find a property named '${path}' on type '${typeName}'.`,
        );
      }
    }
    if (parsed.advanced && !(eventual && countText === 'true') && !rules.people) {
      throw graphErrors.unsupportedQuery(
        `Unsupported or invalid query filter clause specified for property '${parsed.paths[0]}' of resource '${types[0]!.name.replace('microsoft.graph.', '')}'. (ne, not and endswith need ConsistencyLevel: eventual and $count=true.)`,
      );
    }
    filter = parsed.expression;
  }

  let orderBy: CollectionQuery['orderBy'];
  const orderText = q('orderby');
  if (orderText !== undefined) {
    const [property = '', direction = 'asc'] = orderText.trim().split(/\s+/);
    if (!known.has(property.toLowerCase()) || !['asc', 'desc'].includes(direction.toLowerCase())) {
      throw graphErrors.requestBadRequest(
        `Invalid $orderby '${orderText}': use a property name and asc or desc.`,
      );
    }
    if (filter && !eventual && !rules.people) {
      throw graphErrors.unsupportedQuery(
        'Sorting not supported for current query. ($filter with $orderby needs ConsistencyLevel: eventual.)',
      );
    }
    orderBy = { property, descending: direction.toLowerCase() === 'desc' };
  }
  return { select, top, skip, count, search, filter, orderBy };
}

export interface PageOptions {
  context: string;
  /** Properties to return without `$select` (per object, since directoryObject collections mix types). */
  defaults: (object: GraphObject) => readonly string[];
  /** Adds `@odata.type` to each entry (polymorphic directoryObject collections). */
  typed?: (object: GraphObject) => string;
}

/** Filters, searches, sorts and pages a collection; the next page link repeats the query with `$skiptoken`. */
export function page(c: Context, objects: GraphObject[], query: CollectionQuery, options: PageOptions) {
  const get = (o: GraphObject) => (path: string) => (path === '*' ? anyText(o) : readPath(o, path));
  let matched = objects;
  if (query.filter) matched = matched.filter((o) => evaluateFilter(query.filter!, get(o)));
  if (query.search) matched = matched.filter((o) => matchesSearch(query.search!, get(o)));
  if (query.orderBy) {
    const { property, descending } = query.orderBy;
    matched = [...matched].sort((a, b) => {
      const x = String(readPath(a, property) ?? '');
      const y = String(readPath(b, property) ?? '');
      return descending ? y.localeCompare(x) : x.localeCompare(y);
    });
  }
  const slice = matched.slice(query.skip, query.skip + query.top);
  const body: Record<string, unknown> = { '@odata.context': options.context };
  if (query.count && query.skip === 0) body['@odata.count'] = matched.length;
  if (query.skip + query.top < matched.length) {
    const next = new URL(c.req.url);
    next.searchParams.delete('$skip');
    next.searchParams.delete('$skiptoken');
    next.searchParams.set('$skiptoken', encodeSkipToken(query.skip + query.top));
    body['@odata.nextLink'] = graphLink(next);
  }
  body.value = slice.map((o) => shape(o, query.select, options));
  return body;
}

/** An entity with `$select` applied (or the type's defaults). */
export function shape(
  object: GraphObject,
  select: string[] | undefined,
  options: Pick<PageOptions, 'defaults' | 'typed'>,
): GraphObject {
  const out: GraphObject = {};
  if (options.typed) out['@odata.type'] = options.typed(object);
  const wanted = select ?? options.defaults(object);
  for (const property of wanted) {
    const key = Object.keys(object).find((k) => k.toLowerCase() === property.toLowerCase());
    if (key) out[key] = object[key];
  }
  // Graph always returns the id of a directory object in a collection.
  if (options.typed && !('id' in out)) out.id = object.id;
  return out;
}

export function readSelect(c: Context, type: EntityType): string[] | undefined {
  const select = (c.req.query('$select') ?? c.req.query('select'))
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const property of select ?? []) {
    if (!type.properties.some((p) => p.toLowerCase() === property.toLowerCase())) {
      throw graphErrors.requestBadRequest(
        `Parsing OData Select and Expand failed: Could not find a property named '${property}' on type '${type.name}'.`,
      );
    }
  }
  return select;
}

/** A URL with `$` left literal in the query, as Graph writes its links (`?$top=10&$skiptoken=...`). */
export function graphLink(url: URL): string {
  return url.toString().replace(/%24/g, '$');
}

/** The values a bare `$search="text"` looks at: names, sign-in name and e-mail addresses. */
function anyText(object: GraphObject): string[] {
  const emails = Array.isArray(object.scoredEmailAddresses)
    ? (object.scoredEmailAddresses as Array<{ address?: string }>).map((e) => e.address ?? '')
    : [];
  return [object.displayName, object.userPrincipalName, object.mail, ...emails].filter(
    (v): v is string => typeof v === 'string' && v.length > 0,
  );
}

function readPath(object: GraphObject, path: string): unknown {
  let value: unknown = object;
  for (const part of path.split('/')) {
    if (value === null || typeof value !== 'object') return undefined;
    const record = value as Record<string, unknown>;
    const key = Object.keys(record).find((k) => k.toLowerCase() === part.toLowerCase());
    value = key === undefined ? undefined : record[key];
  }
  return value;
}

// Opaque to clients, as Graph's are; the emulator only needs the offset.
export function encodeSkipToken(offset: number): string {
  return `RFNwdAIA${Buffer.from(`offset:${offset}`).toString('base64url')}`;
}

export function decodeSkipToken(token: string): number {
  const match = /^RFNwdAIA(.+)$/.exec(token);
  const decoded = match ? Buffer.from(match[1]!, 'base64url').toString('utf8') : '';
  const offset = /^offset:(\d+)$/.exec(decoded)?.[1];
  if (offset === undefined)
    throw graphErrors.requestBadRequest(
      'The $skiptoken is invalid or expired: follow @odata.nextLink exactly as returned.',
    );
  return Number(offset);
}
