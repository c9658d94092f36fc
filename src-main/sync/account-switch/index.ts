// Switching an account from POP3 to IMAP: uploading the mail already here to the server.
export {
  uploadLocalMail,
  type LocalMailUploadOptions,
  type UploadProgress,
  type UploadSummary,
} from './local-mail-upload';
export { UploadJournal, uploadJournalPath, UPLOAD_JOURNAL_DIR, type UploadState } from './upload-journal';
export { mapFolders, subtreeOf, type FolderTarget } from './folder-mapping';
export { AccountUploads, type AccountUploadsOptions } from './account-uploads';
