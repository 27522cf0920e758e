/** The part of the npm `xliff` package (no typings of its own) that bench/child.ts uses. */
declare module 'xliff' {
  /** A trans-unit / unit, or a group whose units are in `groupUnits`. */
  export interface XliffJsUnit {
    readonly source?: unknown;
    readonly target?: unknown;
    readonly groupUnits?: Readonly<Record<string, XliffJsUnit>>;
  }
  export interface XliffJs {
    readonly sourceLanguage?: string;
    readonly targetLanguage?: string;
    /** By file (`original`), then by unit id. */
    readonly resources: Readonly<Record<string, Readonly<Record<string, XliffJsUnit>>>>;
  }
  export function xliff12ToJs(xliff: string, options?: object): Promise<XliffJs>;
  export function xliff2js(xliff: string, options?: object): Promise<XliffJs>;
}
