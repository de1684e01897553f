import type { ReactNode } from 'react';

/** A number or code that must never break across lines (商户号, masked ID, USCC…). */
export function Identifier({ children }: { children: ReactNode }) {
  return <span style={{ whiteSpace: 'nowrap' }}>{children}</span>;
}
