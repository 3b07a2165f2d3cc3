/** A file's text, as Vite's `?raw` suffix imports it (workerd tests read fixtures this way: no file system there). */
declare module '*?raw' {
  const text: string;
  export default text;
}
