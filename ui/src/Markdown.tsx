// Card text is untrusted: markdown is rendered with marked, then sanitized by
// DOMPurify (no script, no event handlers, no styles, no frames or forms).
// Remote images are not loaded until the user asks, per text block; nothing
// else in card text may fetch anything: every other way HTML names a resource
// to load (srcset, <picture><source>, background, poster, link/meta/base,
// media) is removed outright.
import DOMPurify from 'dompurify';
import { marked } from 'marked';
import { useMemo, useState } from 'react';

function render(text: string, allowRemoteImages: boolean): { html: string; blocked: number } {
  let blocked = 0;
  const raw = marked.parse(text, { async: false, gfm: true, breaks: true }) as string;
  DOMPurify.addHook('afterSanitizeAttributes', (node) => {
    if (node.tagName === 'A') {
      node.setAttribute('rel', 'noopener noreferrer nofollow');
      node.setAttribute('target', '_blank');
    }
    if (node.tagName === 'IMG') {
      const src = node.getAttribute('src') ?? '';
      if (!src.startsWith('data:') && !allowRemoteImages) {
        blocked++;
        node.setAttribute('data-blocked-src', src);
        node.removeAttribute('src');
        node.setAttribute('alt', `[remote image blocked: ${src}]`);
      }
    }
  });
  const html = DOMPurify.sanitize(raw, {
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'iframe', 'frame', 'object', 'embed', 'video', 'audio', 'svg',
      'math', 'picture', 'source', 'track', 'link', 'meta', 'base', 'image'],
    FORBID_ATTR: ['style', 'srcset', 'background', 'poster', 'lowsrc', 'dynsrc', 'ping', 'longdesc', 'action',
      'formaction', 'xlink:href'],
  });
  DOMPurify.removeHook('afterSanitizeAttributes');
  return { html, blocked };
}

export function Markdown({ text }: { text: string }) {
  const [allow, setAllow] = useState(false);
  const { html, blocked } = useMemo(() => render(text ?? '', allow), [text, allow]);
  if (!text) return <p className="empty">—</p>;
  return (
    <div className="markdown">
      <div dangerouslySetInnerHTML={{ __html: html }} />
      {blocked > 0 && (
        <button className="link" onClick={() => setAllow(true)}>
          Load {blocked} remote image{blocked > 1 ? 's' : ''}
        </button>
      )}
    </div>
  );
}
