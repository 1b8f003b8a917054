/**
 * The CommonJS half of the exact-calls instrumentation, in the bench child (installed by the
 * calls kind's prepare, so only in the process of the instrumented passes). On Node 20 the
 * module hooks of `module.register()` never see a module loaded by `require()`, nor a CommonJS
 * module an ES module imports (Node hands it to the CommonJS loader); both are compiled by
 * `Module.prototype._compile`, which this wraps: a project module's source is instrumented
 * (exact/transform.ts: as a script, or as a module for require(esm)) before it is compiled.
 * The CommonJS modules Node compiles in its ES module loader never come here: ./loader.ts
 * instruments those, so none is done twice.
 */
import Module from 'node:module';
import { projectModule, type ProjectRules } from './project-module.js';
import { instrumentModule } from './transform.js';

type Compile = (this: unknown, content: unknown, filename: unknown, ...rest: unknown[]) => unknown;

/**
 * Wraps the CommonJS loader's compile step; returns the function that puts the original back
 * (for tests: the bench child never uninstalls).
 */
export function installCompileHook(rules: ProjectRules): () => void {
  const prototype = Module.prototype as unknown as { _compile: Compile };
  const original = prototype._compile;
  prototype._compile = function _compile(content, filename, ...rest) {
    const instrumented =
      typeof content === 'string' && typeof filename === 'string'
        ? instrumentedSource(content, filename, rest[0], rules)
        : undefined;
    return original.call(this, instrumented ?? content, filename, ...rest);
  };
  return () => {
    prototype._compile = original;
  };
}

/**
 * The instrumented source of a project's module; undefined when it is not one. `format` is
 * Node's: 'module' for an ES module that require() loads (require(esm), Node ≥ 20.19: Node
 * compiles this source, and loads the ES modules it imports without any hook); undefined when
 * the package does not say, and Node compiles an ES module syntax it finds as one.
 */
function instrumentedSource(
  content: string,
  filename: string,
  format: unknown,
  rules: ProjectRules,
): string | undefined {
  const file = projectModule(filename, rules);
  if (file === undefined) return undefined;
  if (format === 'module') return instrumentModule(content, file, 'module')?.code;
  const script = instrumentModule(content, file, 'script');
  if (script || format !== undefined) return script?.code;
  return instrumentModule(content, file, 'module')?.code;
}
