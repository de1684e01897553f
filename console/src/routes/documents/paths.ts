export const DOCUMENTS_PATH = '/documents';

export function documentPath(documentId: string): string {
  return `${DOCUMENTS_PATH}/${encodeURIComponent(documentId)}`;
}
