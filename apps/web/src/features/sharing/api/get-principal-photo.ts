import { type PrincipalRef, sharingRoutes } from '@gatehouse/contracts';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { type ApiClient, ApiError, type RequestOptions } from '../../../lib/api-client';
import { useApiClient } from '../../../lib/api-client-context';
import { queryKeys } from '../../../lib/query-keys';
import { routePath } from '../../../lib/route-path';

/** `GET /api/principals/:source/:type/:id/photo`, or null when there is none (404: initials instead). */
export async function getPrincipalPhoto(
  api: ApiClient,
  principal: PrincipalRef,
  options?: RequestOptions,
): Promise<Blob | null> {
  const path = routePath(sharingRoutes.principalPhoto, {
    source: principal.source,
    type: principal.type,
    id: principal.id,
  });
  try {
    const blob = await api.getBlob(path, options);
    return blob.size > 0 ? blob : null;
  } catch (error) {
    if (error instanceof ApiError && error.code === 'not_found') return null;
    throw error;
  }
}

/**
 * An object URL for a user's photo (revoked when no longer shown), or null while loading, when there
 * is none and for groups. Fetched, not `<img src>`, because every `/api/*` call carries the CSRF header;
 * cached per principal for the page's lifetime, so a chip and its grant row share one request.
 */
export function usePrincipalPhoto(principal: PrincipalRef, enabled = true): string | null {
  const api = useApiClient();
  const { data: blob } = useQuery({
    queryKey: queryKeys.principalPhoto(principal),
    queryFn: ({ signal }) => getPrincipalPhoto(api, principal, { signal }),
    enabled: enabled && principal.type === 'user',
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!blob) {
      setUrl(null);
      return;
    }
    const objectUrl = URL.createObjectURL(blob);
    setUrl(objectUrl);
    return () => URL.revokeObjectURL(objectUrl);
  }, [blob]);
  return url;
}
