// The one-line outcome of a button's action in a settings panel: the message
// it ended with ("Saved!", or the API's error) and whether that was a success.
import { useState } from 'react';
import { errorMessage } from './api';

export function useActionStatus() {
  const [message, setMessage] = useState('');
  const [kind, setKind] = useState<'ok' | 'error'>('ok');
  const attempt = async (action: () => Promise<unknown>, done: string) => {
    try {
      await action();
      setMessage(done);
      setKind('ok');
    } catch (e) {
      setMessage(errorMessage(e));
      setKind('error');
    }
  };
  return { message, kind, attempt };
}
