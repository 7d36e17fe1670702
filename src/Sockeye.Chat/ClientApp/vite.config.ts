import vue from "@vitejs/plugin-vue";
import { defineConfig } from "vitest/config";

// The bundle goes to the service's web root, which serves it at "/" (see ChatApp.cs and the
// ClientApp targets in Sockeye.Chat.csproj). `npm run dev` proxies the API and the socket to a
// service started with `dotnet run --project src/Sockeye.Chat`.
const service = "http://127.0.0.1:5000";

export default defineConfig({
  plugins: [vue()],
  build: {
    outDir: "../wwwroot",
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    proxy: {
      "/api": service,
      "/socket.io": { target: service, ws: true },
    },
  },
  test: {
    environment: "happy-dom",
    include: ["tests/**/*.test.ts"],
    restoreMocks: true,
  },
});
