/** The decision and the summary are shared by every protocol (domain/certificate*.ts). */
export { judgeCertificate, normalizeFingerprint } from '../../domain/certificate-trust';
export type { HandshakeFacts, TrustVerdict } from '../../domain/certificate-trust';
