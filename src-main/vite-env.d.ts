/** Vite (and vitest) turn `import text from './file.sql?raw'` into the file's text. */
declare module '*.sql?raw' {
  const text: string;
  export default text;
}
