export const ACCOUNT_CHANGES_PATH = '/account-changes';

export function accountChangePath(changeId: string): string {
  return `${ACCOUNT_CHANGES_PATH}/${encodeURIComponent(changeId)}`;
}
