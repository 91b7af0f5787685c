// The unsaved-changes guard: the open editor says whether it holds unsaved
// edits; whatever would drop them (closing the card, Back, another card,
// leaving the page) asks first.
let unsaved = false;

export function setUnsaved(value: boolean) {
  unsaved = value;
}

// True when nothing is unsaved or the user agrees to drop it.
export function confirmDiscard(): boolean {
  if (!unsaved) return true;
  const discard = window.confirm('Discard your unsaved changes to this card?');
  if (discard) unsaved = false;
  return discard;
}

window.addEventListener('beforeunload', (e) => {
  if (unsaved) e.preventDefault();
});
