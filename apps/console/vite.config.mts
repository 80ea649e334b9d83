// The web console: static files the gateway serves at `/` (dist/console). No CDN, no runtime
// dependency on anything but the public HTTP API of the same origin.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    // Inlined assets would be data: URLs; the gateway's Content-Security-Policy allows only 'self'.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
});
