import react from '@vitejs/plugin-react';
import { defineConfig, loadEnv } from 'vite';

// The console lives in console/ and is built into console/dist, which the server serves at `/`
// with an SPA fallback. Paths are derived from this file so the build works from any cwd.
const consoleRoot = decodeURIComponent(new URL('.', import.meta.url).pathname);

export default defineConfig(({ mode }) => {
  // In development the API runs separately; SETTLEGUARD_API_URL points the dev server at it.
  const env = loadEnv(mode, consoleRoot, 'SETTLEGUARD_');
  const apiUrl = env.SETTLEGUARD_API_URL ?? 'http://127.0.0.1:3000';
  return {
    root: consoleRoot,
    base: '/',
    plugins: [react()],
    build: {
      outDir: 'dist',
      emptyOutDir: true,
      // antd on its own is larger than Vite's default 500 kB warning threshold.
      chunkSizeWarningLimit: 1500,
      rolldownOptions: {
        output: {
          codeSplitting: {
            groups: [
              {
                name: 'react',
                test: /node_modules[\\/](react|react-dom|react-router|scheduler)[\\/]/,
              },
              {
                name: 'antd',
                test: /node_modules[\\/](antd|@ant-design|@rc-component|rc-[^\\/]+)[\\/]/,
              },
            ],
          },
        },
      },
    },
    server: {
      proxy: { '/api': { target: apiUrl, changeOrigin: false } },
    },
  };
});
