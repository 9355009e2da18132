/** The version of this package, for bug reports and the script-tag build's banner. */
export const version = '0.1.0';
