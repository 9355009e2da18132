const mounted: HTMLElement[] = [];

/** Puts markup into the page and answers its first element; `unmountAll` takes it away. */
export function mount<T extends Element>(markup: string): T {
  const template = document.createElement('template');
  template.innerHTML = markup.trim();
  const element = template.content.firstElementChild as HTMLElement | null;
  if (!element) throw new Error('Nothing to mount.');
  document.body.append(element);
  mounted.push(element);
  return element as unknown as T;
}

export function unmountAll(): void {
  for (const element of mounted.splice(0)) element.remove();
}

/** Waits until `check` returns something other than undefined, false or null. */
export async function until<T>(
  check: () => T | undefined | false | null,
  what: string,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false && value !== null) return value;
    if (performance.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The elements of a part in an element's shadow root. */
export function parts(host: Element, name: string): HTMLElement[] {
  return [...(host.shadowRoot?.querySelectorAll<HTMLElement>(`[part~="${name}"]`) ?? [])];
}

export function part(host: Element, name: string): HTMLElement | undefined {
  return parts(host, name)[0];
}

/** Text as a person reads it: whitespace runs folded into one space. */
export function textOf(element: Element | undefined): string {
  return (element?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** The next event of that name from a target, with a deadline. */
export function nextEvent<T extends Event>(
  target: EventTarget,
  name: string,
  timeoutMs = 5000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`No ${name} event came.`)), timeoutMs);
    target.addEventListener(
      name,
      (event) => {
        clearTimeout(timer);
        resolve(event as T);
      },
      { once: true },
    );
  });
}

export function expectEqual(actual: unknown, expected: unknown, what: string): void {
  const [a, e] = [JSON.stringify(actual), JSON.stringify(expected)];
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}
