/** Foreign benchmark results → Runs (docs/ingest.md). */
export { FORMAT_NAMES, type FormatName, type Importer, type Imported } from './importer.js';
export {
  IMPORTERS,
  chooseImporter,
  detectImporter,
  importerFor,
  parseFormatChoice,
  type FormatChoice,
} from './registry.js';
export { importFile, ingest, mergeImports, type IngestResult, type ResultFile } from './ingest.js';
export { ingestFiles, isPerfgateRun, readResultFiles } from './files.js';
export { pytestBenchmarkId, type PytestBenchmarkEntry } from './formats/pytest.js';
