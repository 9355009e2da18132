/**
 * Loads an element's code when its tag first appears in the document: for elements few people
 * see (the quiz editor is for authors), so that everyone else's first load stays small. An
 * element already in the page is upgraded once its definition arrives.
 */
export function defineOnFirstUse(tag: string, load: () => Promise<unknown>): void {
  if (typeof document === 'undefined' || customElements.get(tag)) return;
  let loading = false;
  const loadOnce = () => {
    if (loading || !document.getElementsByTagName(tag).length) return;
    loading = true;
    observer.disconnect();
    load().catch((error: unknown) => {
      console.error(`[lectern] could not load <${tag}>`, error);
    });
  };
  const observer = new MutationObserver(loadOnce);
  observer.observe(document.documentElement, { childList: true, subtree: true });
  loadOnce();
}
