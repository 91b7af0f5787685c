import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  // The tokenizer's chunk (src/tokens.tsx: cl100k_base's merge table, ~1 MB,
  // ~450 KB compressed) is loaded only when the editor opens; it is the one
  // chunk over Vite's default 500 KB warning.
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1024 },
});
