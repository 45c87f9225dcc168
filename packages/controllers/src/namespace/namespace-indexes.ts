/**
 * Indexes this controller adds to the shared namespaces informer. `byContentDeletion` holds exactly the
 * namespaces with work to do, so the resync at the start of a leadership term touches those few instead of
 * scanning every namespace of every workspace on the shard.
 */
import type { IndexFunc } from '../runtime/informer.ts';
import { needsContentDeletion } from './namespace-state.ts';

export const BY_CONTENT_DELETION = 'byContentDeletion';
/** The single value of BY_CONTENT_DELETION. */
export const CONTENT_DELETION_PENDING = 'pending';

export const byContentDeletion: IndexFunc = (namespace) =>
  needsContentDeletion(namespace) ? [CONTENT_DELETION_PENDING] : [];
