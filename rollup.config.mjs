// Browser builds from tsc's output: run `tsc -b` first (`npm run build` does both).
import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

const elementPackages = ['player', 'uploader', 'quiz', 'studio'];

/**
 * What is loaded with `import()` only when a person acts: the player's engine (hls.js) on first
 * play, the uploader's tus client when an upload starts. In the ES builds each becomes an entry
 * of its own, `chunks/<name>.js` beside the bundle, with a stable name so that the classic
 * (IIFE) build can load the very same file: an `import()` in a classic script resolves against
 * the script's own URL.
 */
const lazyChunks = [
  {
    package: 'player',
    source: /\/player\/dist\/src\/hls-engine\.js$/,
    input: 'packages/player/dist/src/hls-engine.js',
    chunk: 'chunks/hls-engine',
  },
  {
    package: 'uploader',
    source: /\/uploader\/dist\/src\/tus-client\.js$/,
    input: 'packages/uploader/dist/src/tus-client.js',
    chunk: 'chunks/tus-client',
  },
];

/**
 * Lazy elements of the script-tag build that share lit with the first load. A chunk of the same
 * build would then import the bundle, so each is built on its own (with its own copy of lit)
 * and the bundle loads it as an external `chunks/<name>.js`.
 */
const lazyElements = [
  {
    source: /\/studio\/dist\/src\/quiz-editor\/quiz-editor\.js$/,
    input: 'packages/studio/dist/src/quiz-editor/quiz-editor.js',
    chunk: 'chunks/quiz-editor',
  },
  {
    source: /\/studio\/dist\/src\/export\/export\.js$/,
    input: 'packages/studio/dist/src/export/export.js',
    chunk: 'chunks/export',
  },
];

const lazyInputs = (chunks) => Object.fromEntries(chunks.map(({ chunk, input }) => [chunk, input]));

/** Keeps each `import()` of these lazy modules as a load of its ES chunk beside the bundle. */
function lazyChunksAsExternal(chunks) {
  return {
    name: 'lectern-lazy-chunks-as-external',
    async resolveDynamicImport(specifier, importer) {
      if (typeof specifier !== 'string') return null;
      const resolved = await this.resolve(specifier, importer);
      const lazy = resolved && chunks.find(({ source }) => source.test(resolved.id));
      return lazy ? { id: `./${lazy.chunk}.js`, external: true } : null;
    },
  };
}

/**
 * Fails the build when a chunk imports another: the IIFE loads a lazy chunk on its own, so it
 * must share no module with the bundle, and the first load must stay one file.
 */
function selfContainedChunks() {
  return {
    name: 'lectern-self-contained-chunks',
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type === 'chunk' && file.imports.length > 0) {
          this.error(`${file.fileName} imports ${file.imports.join(', ')}; keep chunks apart.`);
        }
      }
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
    input: {
      [name]: `packages/${name}/dist/src/index.js`,
      ...lazyInputs(lazyChunks.filter((lazy) => lazy.package === name)),
    },
    output: { dir: `packages/${name}/dist/bundle`, format: 'es', sourcemap: true },
    plugins: [...plugins(), selfContainedChunks()],
    onwarn,
  })),
  {
    input: { lectern: 'packages/elements/dist/src/index.js', ...lazyInputs(lazyChunks) },
    output: { dir: 'packages/elements/dist', format: 'es', sourcemap: true },
    plugins: [lazyChunksAsExternal(lazyElements), ...plugins(), selfContainedChunks()],
    onwarn,
  },
  ...lazyElements.map(({ input, chunk }) => ({
    input,
    output: { file: `packages/elements/dist/${chunk}.js`, format: 'es', sourcemap: true },
    plugins: plugins(),
    onwarn,
  })),
  {
    input: 'packages/elements/dist/src/index.js',
    output: {
      file: 'packages/elements/dist/lectern.iife.js',
      format: 'iife',
      name: 'Lectern',
      sourcemap: true,
    },
    plugins: [lazyChunksAsExternal([...lazyChunks, ...lazyElements]), ...plugins()],
    onwarn,
  },
];
