import { routes } from '@gatehouse/contracts';
import { useEffect, useState } from 'react';
import { type ApiClient, ApiError, type RequestOptions } from '../../../lib/api-client';
import { useApiClient } from '../../../lib/api-client-context';

/** `GET /api/me/photo`: the signed-in user's photo, or null when they have none (404). */
export async function getMyPhoto(api: ApiClient, options?: RequestOptions): Promise<Blob | null> {
  try {
    return await api.getBlob(routes.mePhoto, options);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'not_found') return null;
    throw error;
  }
}

/**
 * An object URL for the photo (revoked on unmount), or null while loading and when there is none.
 * The photo is fetched (not an `<img src>`) because every `/api/*` call needs the CSRF header.
 */
export function useMyPhoto(userId: string | undefined): string | null {
  const api = useApiClient();
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!userId) return;
    const controller = new AbortController();
    let objectUrl: string | null = null;
    getMyPhoto(api, { signal: controller.signal }).then(
      (blob) => {
        if (controller.signal.aborted || !blob || blob.size === 0) return;
        objectUrl = URL.createObjectURL(blob);
        setUrl(objectUrl);
      },
      () => {
        // No photo is fine: the avatar shows initials. A 401 is handled by the auth layer.
      },
    );
    return () => {
      controller.abort();
      if (objectUrl) URL.revokeObjectURL(objectUrl);
      setUrl(null);
    };
  }, [api, userId]);
  return url;
}
