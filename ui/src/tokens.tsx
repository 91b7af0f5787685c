// Token counts of card text with a real BPE tokenizer: OpenAI's cl100k_base
// (GPT-4 / GPT-3.5) from the gpt-tokenizer package, loaded on first use as
// its own script chunk (its merge table is large). Totals follow SillyTavern's
// character panel: every counted field adds to the total, and name,
// description, personality, scenario and the character note (depth prompt)
// are "permanent": sent with every message, while the first message, example
// messages, system prompt and post-history instructions are not.
import { useEffect, useState } from 'react';
import type { CardData } from './api';

// tests/sillytavern_tokens_test.sh checks the counts against SillyTavern's own tokenizer endpoint.
export const TOKENIZER_NAME = 'cl100k_base (gpt-tokenizer), as SillyTavern counts for GPT-4 and GPT-3.5';

type Count = (text: string) => number;
let loaded: Promise<Count> | null = null;
let ready: Count | null = null;

function loadTokenizer(): Promise<Count> {
  loaded ??= import('gpt-tokenizer/encoding/cl100k_base').then((m) => {
    // Card text is not a prompt to an OpenAI model: special-token text in it counts as plain text.
    ready = (text: string) => (text ? m.encode(text, { disallowedSpecial: new Set() }).length : 0);
    return ready;
  });
  return loaded;
}

// The counter once the tokenizer is loaded, else null (and it starts loading).
export function useTokenizer(): Count | null {
  const [count, setCount] = useState<Count | null>(() => ready);
  useEffect(() => {
    if (!count) loadTokenizer().then((c) => setCount(() => c));
  }, [count]);
  return count;
}

// "N tokens" beside a field, or nothing until the tokenizer is there.
export function TokenCount({ text }: { text: string }) {
  const count = useTokenizer();
  if (!count) return null;
  return <span className="token-count" title={`tokens, ${TOKENIZER_NAME}`}>{count(text)} tokens</span>;
}

function depthPrompt(data: CardData): string {
  const ext = data.extensions as { depth_prompt?: { prompt?: unknown } } | undefined;
  return typeof ext?.depth_prompt?.prompt === 'string' ? ext.depth_prompt.prompt : '';
}

// The fields SillyTavern counts, and whether each is permanent.
const COUNTED: [string, boolean][] = [
  ['name', true], ['description', true], ['personality', true], ['scenario', true], ['first_mes', false],
  ['mes_example', false], ['system_prompt', false], ['post_history_instructions', false],
];

export function cardTokens(data: CardData, count: Count): { total: number; permanent: number } {
  let total = 0;
  let permanent = 0;
  const add = (text: string, isPermanent: boolean) => {
    const n = count(text);
    total += n;
    if (isPermanent) permanent += n;
  };
  for (const [field, isPermanent] of COUNTED) add(typeof data[field] === 'string' ? (data[field] as string) : '', isPermanent);
  add(depthPrompt(data), true);
  return { total, permanent };
}
