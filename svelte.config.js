// Svelte compiler options shared by the Vite plugin (electron-vite's renderer build) and svelte-check.
// CommonJS because package.json has no "type": "module" (the sandboxed preload must stay CommonJS).
// No preprocessors: Svelte 5 compiles `<script lang="ts">` natively and components use plain CSS.

/** @type {import('@sveltejs/vite-plugin-svelte').SvelteConfig} */
module.exports = {
  compilerOptions: {
    // Every component uses runes; this turns a stray legacy `let`-reactivity pattern into an error.
    runes: true,
  },
};
