import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

// The console is built into dist/web, which the api serves (apps/api/src/console): hashed files under
// /assets/ (cached for a year), index.html (no-store). Nothing is inlined, so the page runs under a CSP
// without 'unsafe-inline' (no data: fonts, no inline scripts or styles).
export default defineConfig({
  root: here,
  base: '/',
  publicDir: false,
  plugins: [vue()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1200,
    sourcemap: false,
  },
  server: { proxy: { '/v1': 'http://localhost:3000' } },
});
