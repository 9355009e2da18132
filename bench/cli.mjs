// What every bench shares on its command line: whole-number options and progress lines.

/** `text` as a whole number from `min` to `max`; anything else ends the run with code 2. */
export function integer(name, text, min, max) {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    console.error(`bench: ${name} must be a whole number from ${min} to ${max}, not "${text}"`);
    process.exit(2);
  }
  return value;
}

/** A progress line on stderr, so that stdout holds only the report. */
export function progress(message) {
  console.error(`bench: ${message}`);
}
