import {
  ManifestAlreadyCancelled,
  ManifestAlreadyPickedUp,
  ManifestAlreadyReceived,
  ManifestNotFound,
  ManifestNotPickedUp,
} from '../errors';
import type { ExistingManifest, ManifestState } from './manifest.state';

export function requireManifest(state: ManifestState, manifestNo: string): ExistingManifest {
  if (state.status === 'none') throw new ManifestNotFound(manifestNo);
  return state;
}

/** Issued, not yet picked up, not cancelled. */
export function requireIssued(m: ExistingManifest): void {
  if (m.status === 'cancelled') throw new ManifestAlreadyCancelled(m.manifestNo);
  if (m.status !== 'issued') throw new ManifestAlreadyPickedUp(m.manifestNo);
}

/** Picked up, not yet received. */
export function requirePickedUp(m: ExistingManifest): void {
  if (m.status === 'cancelled') throw new ManifestAlreadyCancelled(m.manifestNo);
  if (m.status === 'issued') throw new ManifestNotPickedUp(m.manifestNo);
  if (m.status === 'received') throw new ManifestAlreadyReceived(m.manifestNo);
}
