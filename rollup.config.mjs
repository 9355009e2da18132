// Browser builds from tsc's output: run `tsc -b` first (`npm run build` does both).
import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

const elementPackages = ['player', 'uploader', 'quiz', 'studio'];

/**
 * The player's engine (hls.js) is loaded with `import()` only when playback starts. In the ES
 * builds it becomes a second entry, `chunks/hls-engine.js` beside the bundle, with a stable name
 * so that the classic (IIFE) build can load the very same file: an `import()` in a classic
 * script resolves against the script's own URL.
 */
const lazyEngine = {
  source: /\/player\/dist\/src\/hls-engine\.js$/,
  input: 'packages/player/dist/src/hls-engine.js',
  chunk: 'chunks/hls-engine',
};

/** Keeps the player's `import('./hls-engine.js')` as a load of the ES chunk, for the IIFE. */
function engineAsExternalChunk() {
  return {
    name: 'lectern-engine-as-external-chunk',
    async resolveDynamicImport(specifier, importer) {
      if (typeof specifier !== 'string') return null;
      const resolved = await this.resolve(specifier, importer);
      if (!resolved || !lazyEngine.source.test(resolved.id)) return null;
      return { id: `./${lazyEngine.chunk}.js`, external: true };
    },
  };
}

/** Fails the build when browser code reaches for Node-only modules such as the token signer. */
function browserOnly() {
  const nodeOnly = [
    /^node:/,
    /^jsonwebtoken$/,
    /^@lectern\/sdk\/node$/,
    /\/sdk\/dist\/src\/node\//,
  ];
  return {
    name: 'lectern-browser-only',
    resolveId(source, importer) {
      if (nodeOnly.some((pattern) => pattern.test(source))) {
        this.error(`${source} is Node-only but was imported by ${importer} into a browser build.`);
      }
      return null;
    },
  };
}

const plugins = () => [
  browserOnly(),
  nodeResolve({ browser: true, exportConditions: ['browser'] }),
  // tus-js-client (the uploader) imports url-parse, which is CommonJS.
  commonjs(),
  terser({ ecma: 2020, compress: { passes: 2 }, format: { comments: false } }),
];

const onwarn = (warning, warn) => {
  // A warning in a browser build is a bug to fix, not noise to scroll past.
  throw new Error(`${warning.code}: ${warning.message}`, { cause: warn });
};

export default [
  ...elementPackages.map((name) => ({
    input:
      name === 'player'
        ? { [name]: `packages/${name}/dist/src/index.js`, [lazyEngine.chunk]: lazyEngine.input }
        : { [name]: `packages/${name}/dist/src/index.js` },
    output: { dir: `packages/${name}/dist/bundle`, format: 'es', sourcemap: true },
    plugins: plugins(),
    onwarn,
  })),
  {
    input: { lectern: 'packages/elements/dist/src/index.js', [lazyEngine.chunk]: lazyEngine.input },
    output: { dir: 'packages/elements/dist', format: 'es', sourcemap: true },
    plugins: plugins(),
    onwarn,
  },
  {
    input: 'packages/elements/dist/src/index.js',
    output: {
      file: 'packages/elements/dist/lectern.iife.js',
      format: 'iife',
      name: 'Lectern',
      sourcemap: true,
    },
    plugins: [engineAsExternalChunk(), ...plugins()],
    onwarn,
  },
];
