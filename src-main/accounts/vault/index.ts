// Public surface of credential storage.
export type { SecretVault } from './secret-vault';
export { SafeStorageVault, SAFE_STORAGE_FILE_NAME, type SafeStorageLike } from './safe-storage-vault';
export { FileKeyVault, FILE_VAULT_FILE_NAME, type FileKeyVaultOptions } from './file-key-vault';
export { defaultKeyDir, keyFilePath } from './vault-key';
