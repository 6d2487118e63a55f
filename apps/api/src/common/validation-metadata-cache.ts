import { getMetadataStorage } from 'class-validator';

/**
 * The part of class-validator's metadata storage this cache wraps (its public class, typed loosely in
 * its declarations as far as these two methods go).
 */
interface ValidationMetadataStorage {
  getTargetValidationMetadatas(
    targetConstructor: unknown,
    targetSchema: string,
    always: boolean,
    strictGroups: boolean,
    groups?: string[],
  ): readonly object[];
  groupByPropertyName(metadata: readonly object[]): Record<string, object[]>;
  addValidationMetadata(metadata: unknown): void;
  addConstraintMetadata(metadata: unknown): void;
}

const CACHED = Symbol.for('wasteflow.validationMetadataCache');

/**
 * Memoises class-validator's metadata look-ups. On every `validate()` (every write request, every bulk
 * item) class-validator gathers a class's decorators again: it filters the class's own metadata, walks
 * every decorated class for ancestors and groups the result by property. That is a good part of the cost
 * of validating a body (measured in docs/performance.md, "HTTP commands"), for an answer that only changes
 * when decorators run. So the answers are kept per class and options, and forgotten whenever metadata is
 * added (a class defined later, in a test for instance). The validators themselves run as before.
 * The executor only reads what it gets (checked against class-validator 0.15). Idempotent: the storage is
 * global to the realm (one per Jest test file), and wrapped once.
 */
export function cacheValidationMetadata(): void {
  const storage = getMetadataStorage() as unknown as ValidationMetadataStorage & { [CACHED]?: true };
  if (storage[CACHED]) return;
  const targetMetadatas = storage.getTargetValidationMetadatas.bind(storage);
  const groupByPropertyName = storage.groupByPropertyName.bind(storage);
  const addValidationMetadata = storage.addValidationMetadata.bind(storage);
  const addConstraintMetadata = storage.addConstraintMetadata.bind(storage);
  let byTarget = new Map<unknown, Map<string, readonly object[]>>();
  let grouped = new WeakMap<readonly object[], Record<string, object[]>>();
  const forget = (): void => {
    byTarget = new Map();
    grouped = new WeakMap();
  };

  storage.getTargetValidationMetadatas = (targetConstructor, targetSchema, always, strictGroups, groups) => {
    const key = `${targetSchema}\n${always}\n${strictGroups}\n${groups === undefined ? '' : JSON.stringify(groups)}`;
    let forTarget = byTarget.get(targetConstructor);
    if (!forTarget) {
      forTarget = new Map();
      byTarget.set(targetConstructor, forTarget);
    }
    let found = forTarget.get(key);
    if (!found) {
      found = targetMetadatas(targetConstructor, targetSchema, always, strictGroups, groups);
      forTarget.set(key, found);
    }
    return found;
  };
  storage.groupByPropertyName = (metadata) => {
    let found = grouped.get(metadata);
    if (!found) {
      found = groupByPropertyName(metadata);
      grouped.set(metadata, found);
    }
    return found;
  };
  storage.addValidationMetadata = (metadata) => {
    forget();
    addValidationMetadata(metadata);
  };
  storage.addConstraintMetadata = (metadata) => {
    forget();
    addConstraintMetadata(metadata);
  };
  storage[CACHED] = true;
}
