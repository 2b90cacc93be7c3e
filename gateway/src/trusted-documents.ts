import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GATEWAY_DIR } from './supergraph.js';

/** The manifest `pnpm documents:build` writes: every operation clients may send by id. */
export const TRUSTED_DOCUMENTS_PATH = join(GATEWAY_DIR, 'trusted-documents.json');

export interface TrustedDocument {
  /** the operation's name */
  operation: string;
  /** the file it comes from, relative to the repository */
  source: string;
  /** the document as sent: the operation and the fragments it uses */
  document: string;
}

/** documentId → document */
export type TrustedDocuments = Record<string, TrustedDocument>;

/** `accept`: ids and ad-hoc documents (APQ too); `only`: ids alone (partner-facing mode). */
export type TrustedDocumentsMode = 'accept' | 'only';

/** A document's id: `sha256:` and the hex SHA-256 of its exact text. */
export const documentIdOf = (document: string) =>
  `sha256:${createHash('sha256').update(document, 'utf8').digest('hex')}`;

/** The committed manifest (empty when it was never built). */
export function committedTrustedDocuments(path = TRUSTED_DOCUMENTS_PATH): TrustedDocuments {
  if (!existsSync(path)) return {};
  return (JSON.parse(readFileSync(path, 'utf8')) as { documents: TrustedDocuments }).documents;
}

/** The operation names of a manifest (the metrics' known `operation` labels). */
export const operationNamesOf = (documents: TrustedDocuments): ReadonlySet<string> =>
  new Set(Object.values(documents).map((d) => d.operation));
