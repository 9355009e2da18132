import type { AxeResults, default as Axe } from 'axe-core';

declare global {
  interface Window {
    axe?: typeof Axe;
  }
}

let loading: Promise<typeof Axe> | undefined;

/** axe-core is a classic script, not a module: load it once from the root node_modules. */
function loadAxe(): Promise<typeof Axe> {
  loading ??= new Promise((resolve, reject) => {
    if (window.axe) return resolve(window.axe);
    const script = document.createElement('script');
    script.src = '/node_modules/axe-core/axe.min.js';
    script.onload = () =>
      window.axe
        ? resolve(window.axe)
        : reject(new Error('axe-core loaded without defining window.axe.'));
    script.onerror = () => reject(new Error('axe-core could not be loaded.'));
    document.head.append(script);
  });
  return loading;
}

/**
 * Fails with axe's own words on any serious or critical accessibility violation inside the
 * element; `when` says what the page was showing.
 */
export async function expectAccessible(element: Element, when?: string): Promise<void> {
  const axe = await loadAxe();
  const { violations }: AxeResults = await axe.run(element);
  const grave = violations.filter(
    (violation) => violation.impact === 'serious' || violation.impact === 'critical',
  );
  if (grave.length === 0) return;

  const report = grave.map(
    (violation) =>
      `${violation.id} (${violation.impact}): ${violation.help} — ` +
      violation.nodes.map((node) => node.target.join(' ')).join('; '),
  );
  throw new Error(`Accessibility violations${when ? ` ${when}` : ''}:\n${report.join('\n')}`);
}
