import type { ComponentProps } from 'react';
import { ActionDialog } from '../incidents/ActionDialog';
import { CorrectionProblem } from '../documents/problem';

/**
 * A dialog holding one action on a change request (approve, reject, consent…): the incident
 * page's action dialog, with a refusal from the server (four eyes, documents missing) said in
 * the correction screens' words inside the dialog, which stays open.
 */
export function ChangeDialog<Values extends object>(
  props: Omit<ComponentProps<typeof ActionDialog<Values>>, 'renderProblem'>,
) {
  return (
    <ActionDialog<Values>
      {...props}
      renderProblem={(error) => <CorrectionProblem error={error} />}
    />
  );
}
