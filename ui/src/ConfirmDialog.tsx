// A question that must be answered before an action that cannot be undone: a
// modal dialog (focus, Tab and Escape as every dialog) with the action's own
// button and Cancel, which is focused first.
import { ReactNode } from 'react';
import { Modal } from './Modal';

export function ConfirmDialog({ title, children, confirmLabel, onConfirm, onCancel }: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <Modal title={title} className="confirm-dialog" onClose={onCancel}>
      <div className="confirm-body">{children}</div>
      <div className="row actions">
        <button className="cancel" autoFocus onClick={onCancel}>Cancel</button>
        <button className="danger confirm" onClick={onConfirm}>{confirmLabel}</button>
      </div>
    </Modal>
  );
}
