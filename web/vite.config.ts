import { defineConfig } from 'vitest/config';

// The build lands in the API's static files; the API serves index.html at `/`.
export default defineConfig({
  base: '/',
  build: {
    outDir: '../Api/wwwroot',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:5080', '/swagger': 'http://127.0.0.1:5080' },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
