import { parseSequenceSet, rangesAbove, rangesFromUids, type UidRange } from './uid-set';
import type { ImapSession } from './session';

/**
 * The UIDs of the selected mailbox above `floor`, as ranges: UID SEARCH (RFC 3501 §6.4.4), with
 * ESEARCH RETURN (ALL) when offered (RFC 4731 §3.1), whose compact "1:2000,2005" answer stays a few
 * bytes however large the folder. Must run while the caller holds the mailbox (withMailbox).
 */
export async function searchUidRanges(session: ImapSession, floor = 0): Promise<UidRange[]> {
  const query = floor > 0 ? { uid: `${floor + 1}:*` } : { all: true };
  const result = await session.command((client) =>
    session.capabilities.esearch
      ? client.search(query, { uid: true, returnOptions: ['ALL'] })
      : client.search(query, { uid: true }),
  );
  if (result === false || result === undefined) throw session.refused('UID SEARCH');
  const ranges = Array.isArray(result) ? rangesFromUids(result) : parseSequenceSet(result.all ?? '');
  // "n:*" matches the highest UID even when it is below n (RFC 3501 §6.4.8), so clip again.
  return rangesAbove(ranges, floor);
}
