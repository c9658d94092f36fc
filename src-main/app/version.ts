import packageJson from '../../package.json';

/** The app's version, from package.json (bundled at build time; no file read at run time). */
export const APP_VERSION: string = packageJson.version;
