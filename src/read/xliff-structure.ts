/**
 * The XLIFF structure around units: the root element (version, namespace), the files and
 * the groups the reader is in, which give each unit its context. Pure.
 */
import type { Attributes, FileContext, GroupContext, XliffVersion } from '../model.js';
import { XLIFF_1_NAMESPACES, XLIFF_2_NAMESPACES, isXliffNamespace } from './namespaces.js';

const KNOWN_VERSIONS = new Set(['1.0', '1.1', '1.2', '2.0', '2.1', '2.2']);

/** What an XLIFF element outside units is to the structure. */
export type ElementRole = 'file' | 'group' | 'unit' | 'other';

export class XliffStructure {
  version: XliffVersion = '1.2';
  /** The root's namespace: `''` for none. */
  uri: string | undefined;
  private rootAttributes: Attributes = {};
  private fileIndex = -1;
  private file: FileContext | undefined;
  /** Whether `file` was made for units outside any `file` element. */
  private fileWithoutElement = false;
  private readonly groups: GroupContext[] = [];
  /** The groups array last handed to units, shared until the nesting changes; `undefined`: changed since. */
  private view: readonly GroupContext[] | undefined = [];

  /** Reads the root element; returns why the document is not XLIFF, if it is not. */
  root(local: string, uri: string, attributes: Attributes): string | undefined {
    if (local !== 'xliff' || (uri !== '' && !isXliffNamespace(uri))) {
      return `not an XLIFF document: the root element is <${local}>${uri ? ` in namespace ${uri}` : ''}`;
    }
    this.uri = uri;
    this.rootAttributes = attributes;
    const declared = attributes['version'];
    if (XLIFF_2_NAMESPACES.has(uri) || (uri === '' && declared?.startsWith('2'))) {
      this.version = declared === '2.1' || declared === '2.2' ? declared : uri.endsWith('2.2') ? '2.2' : uri.endsWith('2.1') ? '2.1' : '2.0';
    } else {
      this.version = declared === '1.0' || declared === '1.1' ? declared : XLIFF_1_NAMESPACES.has(uri) && uri.endsWith('1.1') ? '1.1' : '1.2';
    }
    return undefined;
  }

  /**
   * What is wrong with the root's `version` for an XLIFF document (missing, unknown, or
   * another major version than its namespace's), if anything. The reader reads such a file
   * all the same (as 1.2, or as its namespace says); `validate` reports it.
   */
  versionProblem(): string | undefined {
    const declared = this.rootAttributes['version'];
    const uri = this.uri ?? '';
    if (declared === undefined) return `the root <xliff> has no version attribute (read as XLIFF ${this.version})`;
    if (!KNOWN_VERSIONS.has(declared)) return `unknown XLIFF version "${declared}" (read as XLIFF ${this.version})`;
    const major = XLIFF_2_NAMESPACES.has(uri) ? '2' : XLIFF_1_NAMESPACES.has(uri) ? '1' : undefined;
    if (major !== undefined && declared[0] !== major) return `version "${declared}" in the XLIFF ${major}.x namespace ${uri}`;
    return undefined;
  }

  /** The role of an element of the XLIFF namespace named `local`, met outside units. */
  roleOf(local: string): ElementRole {
    if (local === (this.version[0] === '1' ? 'trans-unit' : 'unit')) return 'unit';
    if (local === 'group') return 'group';
    if (local === 'file') return 'file';
    return 'other';
  }

  openFile(attributes: Attributes): void {
    this.fileWithoutElement = false;
    const v2 = this.version[0] === '2';
    this.file = {
      index: ++this.fileIndex,
      id: attributes['id'],
      original: attributes['original'],
      sourceLanguage: v2 ? this.rootAttributes['srcLang'] : attributes['source-language'],
      targetLanguage: v2 ? this.rootAttributes['trgLang'] : attributes['target-language'],
      datatype: attributes['datatype'],
      attributes,
    };
  }

  closeFile(): void {
    this.file = undefined;
  }

  openGroup(attributes: Attributes): void {
    this.groups.push({ id: attributes['id'], name: attributes['resname'] ?? attributes['name'], attributes });
    this.view = undefined;
  }

  closeGroup(): void {
    this.groups.pop();
    this.view = undefined;
  }

  /**
   * The groups a unit starting now is in, outermost first: a copy made when a unit needs it
   * (not at every group, which made reading quadratic in the depth), shared by the units of
   * one nesting.
   */
  groupsView(): readonly GroupContext[] {
    return (this.view ??= this.groups.slice());
  }

  /** The file of a unit starting now; a unit outside any `file` (invalid XLIFF, but readable) gets an empty one. */
  unitFile(): FileContext {
    if (!this.file) {
      this.openFile({});
      this.fileWithoutElement = true;
    }
    return this.file!;
  }

  /** Where the files stand, for a `ReadContext`: file contexts made so far, and whether the open one has no element. */
  files(): { readonly files: number; readonly fileWithoutElement: boolean } {
    return { files: this.fileIndex + 1, fileWithoutElement: this.fileWithoutElement };
  }

  /** Reads on from a context whose ancestors' start tags were read again: the files stand as `files()` said there. */
  resume(files: number, fileWithoutElement: boolean): void {
    this.fileIndex = files - 1;
    if (fileWithoutElement) {
      this.fileIndex--;
      this.unitFile();
    } else if (this.file) {
      this.file = { ...this.file, index: this.fileIndex };
    }
  }
}

/** The `translate` an element sets for its content, if any. */
export function translateOf(attributes: Attributes): boolean | undefined {
  const value = attributes['translate'];
  return value === undefined ? undefined : value !== 'no';
}
