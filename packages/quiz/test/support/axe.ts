import type { AxeResults } from 'axe-core';

interface AxeGlobal {
  run(context: Element, options?: object): Promise<AxeResults>;
}

let loading: Promise<AxeGlobal> | undefined;

/** axe-core is a classic script, not a module: load it once from node_modules. */
function loadAxe(): Promise<AxeGlobal> {
  loading ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = '/node_modules/axe-core/axe.min.js';
    script.onload = () => resolve((window as unknown as { axe: AxeGlobal }).axe);
    script.onerror = () => reject(new Error('axe-core could not be loaded.'));
    document.head.append(script);
  });
  return loading;
}

/** Fails on any serious or critical accessibility violation inside the element. */
export async function expectAccessible(element: Element): Promise<void> {
  const axe = await loadAxe();
  const { violations } = await axe.run(element);
  const grave = violations.filter(
    (violation) => violation.impact === 'serious' || violation.impact === 'critical',
  );
  if (grave.length === 0) return;

  const report = grave.map(
    (violation) =>
      `${violation.id} (${violation.impact}): ${violation.help} — ` +
      violation.nodes.map((node) => node.target.join(' ')).join('; '),
  );
  throw new Error(`Accessibility violations:\n${report.join('\n')}`);
}
