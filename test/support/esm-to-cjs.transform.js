// Jest (on Node 20) cannot load ES modules through require(); NestJS 12 ships as ESM. This transformer
// compiles those packages to CommonJS for the test runtime only (the built app runs them natively).
// `import.meta.url` has no CommonJS form, so it becomes the file's URL first. A module-level
// `const require = createRequire(import.meta.url)` (@nestjs/swagger) would shadow CommonJS's own `require`,
// which the compiled imports use, so it is dropped: CommonJS has `require` already.
const { createTransformer } = require('@swc/jest');

const swc = createTransformer({
  jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' },
  module: { type: 'commonjs', ignoreDynamic: false },
  sourceMaps: false,
});

module.exports = {
  process(source, path, options) {
    const rewritten = source
      .replace(/^const require = createRequire\(import\.meta\.url\);$/m, '')
      .replace(/\bimport\.meta\.url\b/g, "require('node:url').pathToFileURL(__filename).href");
    return swc.process(rewritten, path, options);
  },
  getCacheKey(source, path, options) {
    return `esm-to-cjs:2:${swc.getCacheKey(source, path, options)}`;
  },
};
