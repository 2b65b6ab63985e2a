import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath, URL } from 'node:url';

// COOP/COEP make the page cross-origin isolated, which the threaded WASM build needs
// (shared/machine-notes.md). Test-only pages (test-pages/) are extra build inputs.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react()],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  server: { headers: isolation, host: '127.0.0.1' },
  preview: { headers: isolation, host: '127.0.0.1' },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    rollupOptions: {
      input: {
        main: fileURLToPath(new URL('./index.html', import.meta.url)),
        backends: fileURLToPath(new URL('./test-pages/backends.html', import.meta.url)),
        conformance: fileURLToPath(new URL('./test-pages/conformance.html', import.meta.url)),
      },
    },
  },
});
