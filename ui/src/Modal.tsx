// A modal dialog: a backdrop that closes it on click, a header with the title
// and a close button; focus, Tab and Escape as useDialog says.
import { ReactNode, useRef } from 'react';
import { useDialog } from './useDialog';

export function Modal({ title, className, onClose, children, heading }: {
  title: string;
  className: string;
  onClose: () => void;
  children: ReactNode;
  heading?: ReactNode; // the header's title when it is more than the text
}) {
  const ref = useRef<HTMLDivElement>(null);
  useDialog(ref, onClose);
  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div ref={ref} className={`modal ${className}`} role="dialog" aria-modal="true" aria-label={title} tabIndex={-1}
           onClick={(e) => e.stopPropagation()}>
        <header className="modal-header">
          {heading ?? <h2>{title}</h2>}
          <button className="close" aria-label="Close" onClick={onClose}>×</button>
        </header>
        {children}
      </div>
    </div>
  );
}
