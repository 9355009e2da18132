import type { AxeResults, default as Axe } from 'axe-core';

declare global {
  interface Window {
    axe?: typeof Axe;
  }
}

// axe-core is a classic script; the test server serves it from the root node_modules.
async function loadAxe(): Promise<typeof Axe> {
  if (!window.axe) {
    await new Promise<void>((resolve, reject) => {
      const script = document.createElement('script');
      script.src = '/node_modules/axe-core/axe.min.js';
      script.onload = () => resolve();
      script.onerror = () => reject(new Error('axe-core could not be loaded.'));
      document.head.append(script);
    });
  }
  if (!window.axe) throw new Error('axe-core loaded without defining window.axe.');
  return window.axe;
}

/** Fails with axe's own words when it finds a serious or critical violation. */
export async function expectNoSeriousViolations(element: Element, when: string): Promise<void> {
  const axe = await loadAxe();
  const results: AxeResults = await axe.run(element);
  const serious = results.violations.filter(
    (violation) => violation.impact === 'serious' || violation.impact === 'critical',
  );
  if (serious.length > 0) {
    const found = serious.map((v) => `${v.id}: ${v.help} (${v.nodes.length} nodes)`).join('; ');
    throw new Error(`axe found serious violations ${when}: ${found}`);
  }
}
