import { attachmentLimits, type DriveItemRef, driveIdPattern } from '@gatehouse/contracts';

export type PickedItems = { ok: true; items: DriveItemRef[] } | { ok: false; problem: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function validId(value: unknown): value is string {
  return (
    typeof value === 'string' && value.length <= attachmentLimits.maxIdLength && driveIdPattern.test(value)
  );
}

/**
 * The ids of a `pick` command's items, and nothing else: `id` and `parentReference.driveId`. Names,
 * sizes, `webUrl`, `@sharePoint.endpoint` and download URLs are the picker's word, so they are dropped;
 * the BFF reads each item from Graph by these ids. One unusable item refuses the whole pick (a forged
 * or broken message is not half-trusted). Duplicates are attached once.
 */
export function pickedItemRefs(items: unknown, maxItems: number = attachmentLimits.maxItems): PickedItems {
  if (!Array.isArray(items)) return { ok: false, problem: 'the pick has no items' };
  if (items.length === 0) return { ok: false, problem: 'the pick has no items' };
  if (items.length > maxItems) return { ok: false, problem: `pick at most ${maxItems} files at a time` };
  const seen = new Set<string>();
  const refs: DriveItemRef[] = [];
  for (const [index, item] of items.entries()) {
    const itemId = isRecord(item) ? item.id : undefined;
    const driveId =
      isRecord(item) && isRecord(item.parentReference) ? item.parentReference.driveId : undefined;
    if (!validId(itemId) || !validId(driveId)) {
      return { ok: false, problem: `item ${index + 1} has no usable drive and item id` };
    }
    const key = `${driveId}\u0000${itemId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    refs.push({ driveId, itemId });
  }
  return { ok: true, items: refs };
}
