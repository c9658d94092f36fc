/**
 * Replays queued folder actions: CREATE (RFC 3501 §6.3.3), RENAME with its children (§6.3.5) and
 * DELETE (§6.3.4). A conflict with another client ends where the user wanted it to: a folder
 * created elsewhere too is fine, a folder already deleted elsewhere is fine, a folder renamed
 * away elsewhere is created under the new name.
 */
import { deleteFolder, renameFolder } from '../../protocols/imap';
import type { PendingAction } from '../../store/pending-actions-repo';
import { paramsOf } from './action-params';
import type { ReplayContext, ReplayOutcome } from './message-replay';

const NOTHING_LEARNED: ReplayOutcome = { learned: [] };

export async function replayFolderCreate(action: PendingAction, ctx: ReplayContext): Promise<ReplayOutcome> {
  const { path } = paramsOf(action, 'folder_create');
  await ctx.folders.ensure(path);
  return NOTHING_LEARNED;
}

export async function replayFolderRename(action: PendingAction, ctx: ReplayContext): Promise<ReplayOutcome> {
  const { from, to, delimiter } = paramsOf(action, 'folder_rename');
  if (await ctx.folders.has(to)) return NOTHING_LEARNED; // done already (by us before a crash, or elsewhere)
  if (!(await ctx.folders.has(from))) {
    // Gone from the server under its old name: the folder still exists here, so it is made anew.
    await ctx.folders.ensure(to);
    return NOTHING_LEARNED;
  }
  await renameFolder(ctx.session, from, to);
  ctx.folders.renamed(from, to, delimiter);
  return NOTHING_LEARNED;
}

export async function replayFolderDelete(action: PendingAction, ctx: ReplayContext): Promise<ReplayOutcome> {
  const { paths } = paramsOf(action, 'folder_delete');
  for (const path of paths) {
    if (!(await ctx.folders.has(path))) continue;
    await deleteFolder(ctx.session, path);
    ctx.folders.removed(path);
  }
  return NOTHING_LEARNED;
}
