/**
 * The API contract's types, re-exported once for the renderer. The renderer may take nothing but
 * types from src-main (the schemas and zod stay in the main process), so this is `export type` only.
 */
export type {
  AccountSetup,
  AccountView,
  AddressView,
  AttachmentRef,
  CertificateView,
  ConnectionCheckView,
  DiscoveryView,
  EventName,
  EventPayload,
  FolderView,
  ImportFormat,
  ImportResult,
  ListRow,
  ListScope,
  QueryProblemView,
  SearchResultView,
  SearchScope,
  MessageRow,
  MessageView,
  MethodName,
  ParamsOf,
  ResultOf,
  SecurityView,
  ServerCheckView,
  SyncStateView,
  SortSpec,
  WireError,
  WireReply,
} from '../../../../src-main/api/contract';
