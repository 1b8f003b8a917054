/**
 * The table of importers, by format name, and format detection from a file's content. The order
 * is the detection order: formats recognised by their file name or a distinctive JSON shape
 * first, loose text patterns last.
 */
import { InputError } from '../model/errors.js';
import {
  detectImporter as detectIn,
  importerNamed,
  type ImporterTable,
} from '../model/importer.js';
import { describeContent, parseJsonOf, tryJson } from './content.js';
import { benchmarkdotnetImporter } from './formats/benchmarkdotnet.js';
import { benchmarkjsImporter } from './formats/benchmarkjs.js';
import { benchmarkluauImporter } from './formats/benchmarkluau.js';
import { cargoImporter } from './formats/cargo.js';
import { catch2Importer } from './formats/catch2.js';
import { criterionImporter } from './formats/criterion.js';
import {
  customBiggerIsBetterImporter,
  customSmallerIsBetterImporter,
  looksCustom,
} from './formats/custom.js';
import { denoImporter } from './formats/deno.js';
import { goImporter } from './formats/go.js';
import { googlecppImporter } from './formats/googlecpp.js';
import { hyperfineImporter } from './formats/hyperfine.js';
import { jmhImporter } from './formats/jmh.js';
import { juliaImporter } from './formats/julia.js';
import { pytestImporter } from './formats/pytest.js';
import { vitestImporter } from './formats/vitest.js';
import { FORMAT_NAMES, type FormatName, type Importer } from './importer.js';

export const IMPORTERS: readonly Importer[] = [
  criterionImporter,
  pytestImporter,
  googlecppImporter,
  hyperfineImporter,
  benchmarkdotnetImporter,
  jmhImporter,
  juliaImporter,
  vitestImporter,
  denoImporter,
  catch2Importer,
  goImporter,
  cargoImporter,
  benchmarkluauImporter,
  benchmarkjsImporter,
  customBiggerIsBetterImporter,
  customSmallerIsBetterImporter,
];

/** The table of result importers (a result file is read up to the `results` input limit). */
export const RESULT_IMPORTERS: ImporterTable<Importer> = { input: 'results', importers: IMPORTERS };

/** `auto`: detect the format of each file from its content. */
export type FormatChoice = FormatName | 'auto';

export function isFormatName(name: string): name is FormatName {
  return (FORMAT_NAMES as readonly string[]).includes(name);
}

/** The format named by a flag or input; an unknown name is an InputError listing the names. */
export function parseFormatChoice(name: string, flag: string): FormatChoice {
  if (name === 'auto' || isFormatName(name)) return name;
  throw new InputError(
    `${flag}: unknown format "${name}" (use auto or one of ${FORMAT_NAMES.join(', ')})`,
  );
}

export function importerFor(name: FormatName): Importer {
  return importerNamed(RESULT_IMPORTERS, name);
}

/** The importer whose format the text is in, or undefined when none recognises it. */
export function detectImporter(text: string, fileName: string): Importer | undefined {
  return detectIn(RESULT_IMPORTERS, text, fileName);
}

/**
 * The importer for a file: the named one, after checking that the file is in its format, or the
 * detected one. Errors name the file, the format expected and what was found.
 */
export function chooseImporter(text: string, file: string, format: FormatChoice): Importer {
  // JSON that does not parse (a run that crashed while writing it): say that, not "unknown".
  const start = text.trimStart()[0];
  if ((start === '{' || start === '[') && tryJson(text) === undefined) {
    parseJsonOf(text, file, format);
  }
  if (format !== 'auto') {
    const importer = importerFor(format);
    if (format.startsWith('custom') ? looksCustom(text) : importer.detect(text, file))
      return importer;
    const other = detectImporter(text, file);
    throw new InputError(
      `expected ${importer.describes} for format ${format}, found ${
        other ? `${other.describes} (format ${other.name})` : describeContent(text)
      }`,
      file,
    );
  }
  const detected = detectImporter(text, file);
  if (detected) return detected;
  if (looksCustom(text)) {
    throw new InputError(
      "github-action-benchmark's custom JSON ({ name, unit, value }), which does not say whether " +
        'bigger or smaller is better: name the format, customBiggerIsBetter or customSmallerIsBetter',
      file,
    );
  }
  throw new InputError(
    `not a perfgate Run nor a benchmark result format perfgate knows (found ${describeContent(text)}); ` +
      `name the format: one of ${FORMAT_NAMES.join(', ')}`,
    file,
  );
}
