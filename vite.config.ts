import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath, URL } from 'node:url';

// COOP/COEP make the page cross-origin isolated, which the threaded WASM build needs
// (shared/machine-notes.md). Test-only pages (test-pages/) are extra build inputs.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * Content Security Policy (issue 9, docs/reliability.md): scripts and workers only from this
 * origin, WebAssembly compilation allowed ('wasm-unsafe-eval', TF.js's WASM backend), no
 * eval, no inline scripts, no plugins, data and models fetched from this origin only. Built
 * pages carry it as a meta tag; `vite preview` also sends it as a header, which is what puts
 * the module worker under it too (a worker takes its policy from its own response). The dev
 * server has none: @vitejs/plugin-react injects an inline script there.
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  // blob: only in a threaded-WASM build: TF.js starts its pthread workers from a Blob.
  `worker-src 'self'${process.env['VITE_WASM_THREADS'] === '1' ? ' blob:' : ''}`,
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  // Vite inlines small font files (KaTeX's) as data: URLs; a font cannot run script.
  "font-src 'self' data:",
  "style-src 'self'",
  // KaTeX's lesson formulas position glyphs with style attributes; no <style> element or sheet
  // from elsewhere is allowed, and a style attribute cannot run script.
  "style-src-attr 'unsafe-inline'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

const cspMeta: Plugin = {
  name: 'csp-meta',
  apply: 'build',
  transformIndexHtml: (html) =>
    html.replace(
      '<head>',
      `<head>\n    <meta http-equiv="Content-Security-Policy" content="${CSP}" />`,
    ),
};

/**
 * Threaded WASM (issue 9, off by default: engine/backend/flags.ts). TF.js hands its pthread
 * workers the factory's own source (`factory.toString()` in a Blob), which minification breaks
 * ("e is not defined"). This points them at the package's unminified script instead, served from
 * this origin (engine/backend/browser.ts sets `__tfjsWasmThreadedScript` to its ?url).
 */
const wasmThreadsScript: Plugin = {
  name: 'tfjs-wasm-threads-script',
  transform(code, id) {
    if (!id.includes('tfjs-backend-wasm') || !id.endsWith('backend_wasm.js')) return null;
    const blob = 'factoryConfig.mainScriptUrlOrBlob = new Blob(';
    if (!code.includes(blob))
      this.error('tfjs-backend-wasm changed: mainScriptUrlOrBlob not found');
    return code.replace(
      blob,
      'factoryConfig.mainScriptUrlOrBlob = globalThis.__tfjsWasmThreadedScript ?? new Blob(',
    );
  },
};

export default defineConfig({
  plugins: [react(), cspMeta, wasmThreadsScript],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  server: { headers: isolation, host: '127.0.0.1' },
  preview: {
    headers: { ...isolation, 'Content-Security-Policy': `${CSP}; frame-ancestors 'none'` },
    host: '127.0.0.1',
  },
  // Worker bundles take their own plugins: the engine worker is where TF.js runs.
  worker: { format: 'es', plugins: () => [wasmThreadsScript] },
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
