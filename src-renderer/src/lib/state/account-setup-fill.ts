/**
 * Which server fields of "Add account" the settings found for an address (or, without any, the
 * usual guesses) may fill. The rule users rely on: a field the user has typed in, or is in right
 * now, is theirs; a lookup that ends later never changes it. Pure: unit-tested.
 */
import type { DiscoveryView } from '../api/contract-types';
import {
  DEFAULT_INCOMING_SECURITY,
  DEFAULT_OUTGOING_SECURITY,
  defaultPort,
  guessedHost,
  type IncomingProtocol,
  type ServerFieldName,
  type ServerValues,
} from './account-setup-rules';

export type { ServerValues };

export type ServerField = ServerFieldName;

/** A lookup's answer and the address it was asked for: an answer for another address is stale. */
export interface AddressDiscovery {
  email: string;
  view: DiscoveryView;
}

/** The lookup's answer when it is for this address (as typed now), else null. */
export function discoveryFor(email: string, discovery: AddressDiscovery | null): DiscoveryView | null {
  if (discovery === null) return null;
  return sameAddress(discovery.email, email) ? discovery.view : null;
}

export function sameAddress(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

export interface FillInput {
  email: string;
  protocol: IncomingProtocol;
  /** What the lookup found for `email`, or null (nothing found, or not asked yet). */
  found: DiscoveryView | null;
  current: ServerValues;
  /** Fields the user typed in or is in right now (focused): never filled. */
  isHeld: (field: ServerField) => boolean;
  /** Only these sides: the protocol choice refills the incoming side alone. */
  sides?: ReadonlyArray<'incoming' | 'outgoing'>;
}

/**
 * The new values of the fields that may change; held fields never appear. A port follows the
 * security it will be shown with (the found one, else the field's), and the username is the found
 * one only when something was found (otherwise it stays what the address gave it).
 */
export function serverFieldFill(input: FillInput): Partial<ServerValues> {
  const { email, protocol, found, current, isHeld } = input;
  const sides = input.sides ?? ['incoming', 'outgoing'];
  const fill: Partial<ServerValues> = {};
  if (sides.includes('incoming')) {
    const server = found?.incoming.find((candidate) => candidate.protocol === protocol);
    const security = isHeld('incomingSecurity')
      ? current.incomingSecurity
      : (server?.security ?? DEFAULT_INCOMING_SECURITY);
    if (!isHeld('incomingSecurity')) fill.incomingSecurity = security;
    if (!isHeld('incomingPort')) {
      fill.incomingPort = String(server?.port ?? defaultPort(protocol, security));
    }
    if (!isHeld('incomingHost')) fill.incomingHost = server?.host ?? guessedHost(protocol, email);
    if (server !== undefined && !isHeld('username')) fill.username = server.username;
  }
  if (sides.includes('outgoing')) {
    const server = found?.outgoing[0];
    const security = isHeld('outgoingSecurity')
      ? current.outgoingSecurity
      : (server?.security ?? DEFAULT_OUTGOING_SECURITY);
    if (!isHeld('outgoingSecurity')) fill.outgoingSecurity = security;
    if (!isHeld('outgoingPort')) fill.outgoingPort = String(server?.port ?? defaultPort('smtp', security));
    if (!isHeld('outgoingHost')) fill.outgoingHost = server?.host ?? guessedHost('smtp', email);
  }
  return fill;
}
