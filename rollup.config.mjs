// Browser builds from tsc's output: run `tsc -b` first (`npm run build` does both).
import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

const elementPackages = ['player', 'uploader', 'quiz', 'studio'];

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
  terser({ format: { comments: false } }),
];

const onwarn = (warning, warn) => {
  // A warning in a browser build is a bug to fix, not noise to scroll past.
  throw new Error(`${warning.code}: ${warning.message}`, { cause: warn });
};

export default [
  ...elementPackages.map((name) => ({
    input: `packages/${name}/dist/src/index.js`,
    output: { file: `packages/${name}/dist/bundle/${name}.js`, format: 'es', sourcemap: true },
    plugins: plugins(),
    onwarn,
  })),
  {
    input: 'packages/elements/dist/src/index.js',
    output: [
      { file: 'packages/elements/dist/lectern.js', format: 'es', sourcemap: true },
      {
        file: 'packages/elements/dist/lectern.iife.js',
        format: 'iife',
        name: 'Lectern',
        sourcemap: true,
      },
    ],
    plugins: plugins(),
    onwarn,
  },
];
